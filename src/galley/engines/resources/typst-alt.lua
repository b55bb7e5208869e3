--[[
typst-alt.lua: give every image in the PDF its alt text (or its figure, see caption_as_alt).

Pandoc's Typst writer drops an image's description, so a screen reader would meet a tagged PDF
figure with nothing to say. This filter writes such images as raw Typst `image(..., alt: ...)`.
Each image first gets its path for Typst (typst-paths.lua), in the same walk: a walk of every
image costs 3-4 ms of an article's run, whatever its functions do.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local typst_path = dofile(pandoc.path.join { pandoc.path.directory(PANDOC_SCRIPT_FILE), 'typst-paths.lua' })

local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', ' ') .. '"'
end

-- Typst's lengths as they are; pixels (`50px`, or a bare number) in inches at pandoc's dpi, as
-- pandoc's Typst writer converts them (Typst has no pixels); anything else (`2ex`) is left out,
-- as pandoc leaves it out.
local TYPST_UNITS = { ['%'] = true, pt = true, mm = true, cm = true, ['in'] = true, em = true }
local function typst_length(value)
  local number, unit = (value or ''):match('^(%d*%.?%d+)(%a*%%?)$')
  if not number then return nil end
  if TYPST_UNITS[unit] then return value end
  if unit ~= 'px' and unit ~= '' then return nil end
  local dpi = PANDOC_WRITER_OPTIONS and PANDOC_WRITER_OPTIONS.dpi or 96
  local inches = string.format('%.5f', tonumber(number) / dpi):gsub('0+$', ''):gsub('%.$', '')
  return inches .. 'in'
end

-- A figure's image is a block, as pandoc writes it (no paragraph, so no line number beside it
-- in the review profile); an image in running text is boxed to stay inline. `bare`: without
-- its alt text, which its figure carries.
local function raw_image(image, inline, bare)
  local alt = pandoc.utils.stringify(image.caption)
  if alt == '' and not bare then return nil end
  local args = { typst_string(image.src) }
  if not bare then args[2] = 'alt: ' .. typst_string(alt) end
  for _, size in ipairs { 'width', 'height' } do
    local length = typst_length(image.attributes[size])
    if length then args[#args + 1] = size .. ': ' .. length end
  end
  local call = 'image(' .. table.concat(args, ', ') .. ')'
  return pandoc.RawInline('typst', inline and ('#box(' .. call .. ')') or ('#' .. call))
end

-- The caption's text without the number crossref.lua put before it ("Figure 1: ").
local function caption_text(figure)
  local text = pandoc.utils.stringify(pandoc.utils.blocks_to_inlines(figure.caption.long):walk {
    Span = function(span)
      if span.classes:includes('galley-float-prefix') then return {} end
    end,
  })
  return (text:gsub('^%s+', ''))
end

-- The image a figure holds alone (not linked), or nil.
local function sole_image(figure)
  local block = #figure.content == 1 and figure.content[1]
  if not block or (block.t ~= 'Plain' and block.t ~= 'Para') or #block.content ~= 1 then return nil end
  return block.content[1].t == 'Image' and block.content[1] or nil
end

-- A numbered figure whose image's description is its caption (no `fig-alt`): the figure carries
-- it as its alt text (floats-render.lua writes `alt:`), and the image none, as Quarto writes
-- `image("img/x.png")` there, so a screen reader does not read the caption twice.
local function caption_as_alt(figure)
  if not figure.identifier:match('^fig%-') then return nil end
  local image, text = sole_image(figure), caption_text(figure)
  if not image or text == '' or pandoc.utils.stringify(image.caption) ~= text then return nil end
  figure.attributes['galley-alt'] = text
  figure.content = { pandoc.Plain { raw_image(image, false, true) } }
  return figure
end

-- An image outside figures: its path, then its alt text. What its path makes a span of its
-- description goes on to the images that description holds, as when the paths were a walk of
-- their own before this one.
local function inline_image(image)
  local with_path = typst_path(image)
  if with_path.t ~= 'Image' or FORMAT ~= 'typst' then return with_path end
  return raw_image(with_path, true) or with_path
end

return {
  {
    traverse = 'topdown',
    Figure = function(figure)
      if FORMAT ~= 'typst' then return nil end
      -- Every image of the figure (its caption's too) with its path, as the walk of the paths
      -- gave them before this one; the figure is then looked at as it was.
      figure = figure:walk { Image = typst_path }
      local described = caption_as_alt(figure)
      if described then return described, false end
      -- A linked image stays inline inside its link, as Quarto writes it.
      return figure:walk {
        traverse = 'topdown',
        Link = function(link)
          return link:walk { Image = function(image) return raw_image(image, true) end }, false
        end,
        Image = function(image) return raw_image(image, false) end,
      }, false
    end,
    Image = inline_image,
  },
}
