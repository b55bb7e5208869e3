--[[
floats.lua: read Quarto's float syntax into pandoc `Figure` elements, one per float.

A float is a figure (`fig-`), table (`tbl-`) or listing (`lst-`) with an identifier:
- a div `::: {#fig-x}` whose last paragraph is the caption, or with `fig-cap="..."`;
- an image `![caption](path){#fig-x}`, alone in its paragraph or inside a link;
- a markdown table `: caption {#tbl-x}`; a raw HTML table (its `<caption>` is the caption);
- a code block with `lst-cap` and an `lst-` id: `{#lst-x lst-cap="..."}`, or `lst-label`.
Floats inside a float are its sub-floats and stay nested. Later filters number (crossref.lua),
arrange (layout.lua) and render (floats-render.lua) these Figures. Also applies `fig-alt`.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local KINDS = { fig = true, tbl = true, lst = true }

local function float_kind(id)
  local kind = (id or ''):match('^(%a+)%-')
  return kind and KINDS[kind] and kind or nil
end

-- A caption written in an attribute, as inlines: its first block's (an image alone stays an
-- image, not a figure of its own; a list or a code block gives its text).
local function inline_markdown(text)
  local first = pandoc.read(text, 'markdown-implicit_figures').blocks[1]
  if not first then return pandoc.Inlines {} end
  if first.t == 'Para' or first.t == 'Plain' or first.t == 'Header' then return first.content end
  return pandoc.utils.blocks_to_inlines { first }
end

local function caption_of(inlines)
  return { long = pandoc.Blocks { pandoc.Plain(inlines) }, short = nil }
end

local function image_alone(block)
  if (block.t ~= 'Para' and block.t ~= 'Plain') or #block.content ~= 1 then return nil end
  local only = block.content[1]
  if only.t == 'Image' then return only, nil end
  if only.t == 'Link' and #only.content == 1 and only.content[1].t == 'Image' then
    return only.content[1], only
  end
  return nil
end

-- An image with a float id (or a linked image with a caption) becomes a Figure of its own.
local function image_figure(block)
  local image, link = image_alone(block)
  if not image or (not float_kind(image.identifier) and not (link and #image.caption > 0)) then
    return nil
  end
  local id = float_kind(image.identifier) and image.identifier or ''
  local caption = image.caption:clone()
  image.identifier = ''
  return pandoc.Figure(pandoc.Plain { link or image }, caption_of(caption), pandoc.Attr(id))
end

-- A raw HTML table is read as a pandoc table, so every format can show it.
local function raw_html_table(block)
  if block.t ~= 'RawBlock' or block.format ~= 'html' or not block.text:match('^%s*<table') then
    return nil
  end
  local blocks = pandoc.read(block.text, 'html').blocks
  return #blocks == 1 and blocks[1].t == 'Table' and blocks[1] or nil
end

-- A paragraph of several identified images inside a float is one sub-float per image.
local function split_images(block)
  if block.t ~= 'Para' then return nil end
  local figures = pandoc.Blocks {}
  for _, inline in ipairs(block.content) do
    if inline.t == 'Image' and float_kind(inline.identifier) then
      figures:insert(image_figure(pandoc.Para { inline }))
    elseif inline.t ~= 'Space' and inline.t ~= 'SoftBreak' then
      return nil
    end
  end
  return #figures > 1 and figures or nil
end

-- The caption of a div float: its attribute, else its last paragraph, else the caption of a
-- single table it holds (moved to the float, so it is not shown twice).
local function take_caption(div, kind)
  local attr = div.attributes[kind .. '-cap']
  if attr then
    div.attributes[kind .. '-cap'] = nil
    return inline_markdown(attr)
  end
  local last = div.content[#div.content]
  if #div.content > 1 and last and last.t == 'Para' then
    div.content:remove(#div.content)
    return last.content
  end
  for _, block in ipairs(div.content) do
    if block.t == 'Table' and #block.caption.long > 0 then
      local inlines = pandoc.utils.blocks_to_inlines(block.caption.long)
      block.caption = { long = pandoc.Blocks {}, short = nil }
      return inlines
    end
  end
  return pandoc.Inlines {}
end

local function div_float(div)
  local kind = float_kind(div.identifier)
  if not kind then return nil end
  local content = pandoc.Blocks {}
  for _, block in ipairs(div.content) do
    content:extend(split_images(block) or { block })
  end
  div.content = content
  local caption = take_caption(div, kind)
  -- A lone uncaptioned image pandoc already made a figure of is the float's payload.
  if #div.content == 1 and div.content[1].t == 'Figure' and div.content[1].identifier == '' then
    div.content = div.content[1].content
  end
  return pandoc.Figure(div.content, caption_of(caption), div.attr)
end

local function table_float(tbl)
  if float_kind(tbl.identifier) ~= 'tbl' then return nil end
  local id, caption = tbl.identifier, tbl.caption
  tbl.identifier = ''
  tbl.caption = { long = pandoc.Blocks {}, short = nil }
  return pandoc.Figure(tbl, caption, pandoc.Attr(id))
end

local function listing_float(code)
  local id = code.attributes['lst-label'] or code.identifier
  local cap = code.attributes['lst-cap']
  if float_kind(id) ~= 'lst' or not cap then return nil end
  code.attributes['lst-label'], code.attributes['lst-cap'] = nil, nil
  code.identifier = ''
  return pandoc.Figure(code, caption_of(inline_markdown(cap)), pandoc.Attr(id))
end

-- A raw HTML table's <caption> becomes the caption of the table float that holds it.
local function raw_table_caption(figure)
  if float_kind(figure.identifier) ~= 'tbl' or #pandoc.utils.stringify(figure.caption.long) > 0 then
    return figure
  end
  for _, block in ipairs(figure.content) do
    if block.t == 'Table' and #block.caption.long > 0 then
      figure.caption = { long = block.caption.long, short = nil }
      block.caption = { long = pandoc.Blocks {}, short = nil }
      break
    end
  end
  return figure
end

local function apply_alt(image)
  local alt = image.attributes['fig-alt']
  if alt then
    image.attributes['fig-alt'] = nil
    image.caption = pandoc.Inlines { pandoc.Str(alt) }
  end
  return image
end

-- `fig-alt` applies to the images of every figure, each figure's as it is made (a figure's
-- children are done before it: no function reads an image inside a figure afterwards).
local function with_alt(figure)
  return figure and figure:walk { Image = apply_alt }
end

-- Images, then divs: bottom-up, a div's paragraphs are done before the div.
local figures = {
  Para = function(block) return with_alt(image_figure(block)) end,
  Plain = function(block) return with_alt(image_figure(block)) end,
  Div = function(div)
    local figure = div_float(div)
    return figure and with_alt(raw_table_caption(figure)) or nil
  end,
  Figure = with_alt,
}

-- Raw tables, listings and tables in the same walk (two walks of the document fewer): each
-- element's children are done before it, so the functions see what they saw when these went
-- first, in a walk of their own; what these make anew (a table read from raw HTML, a listing's
-- caption) goes through `figures` as it did in the walk after.
return {
  {
    RawBlock = function(block)
      local tbl = raw_html_table(block)
      return tbl and tbl:walk(figures)
    end,
    CodeBlock = function(code)
      local figure = listing_float(code)
      return figure and with_alt(figure:walk(figures))
    end,
    Table = function(tbl) return with_alt(table_float(tbl)) end,
    Para = figures.Para,
    Plain = figures.Plain,
    Div = figures.Div,
    Figure = figures.Figure,
  },
}
