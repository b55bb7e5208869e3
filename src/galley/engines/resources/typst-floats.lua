--[[
typst-floats.lua: decide, before Typst lays the PDF out, which figures and tables float.

A float goes to the top or bottom of a page, or to the next page, so that the text runs on
instead of leaving a page half empty. A float never breaks, so one taller than the page's text
area must stay in the text (a long table then breaks across pages). Typst can tell by measuring
each float, but a float measured in the PDF's compile is laid out again in every layout pass,
and at book size that was a third of the PDF's memory. So this filter estimates, from what
pandoc already knows:
- a figure that is one image: the image's shape (read from the media bag, where local-files.lua
  put the project's files) at the width it gets, and its caption's lines;
- a table: its rows, each as tall as its longest cell's lines in the column width it gets.
Both estimates err tall (by 6-18 % on this article's floats). What surely fits: `float`; what
surely does not: `text`. A float near the limit, or of other content: `measure`, and Typst
measures it before the PDF's compile (galley.engines.float_sizes).

Sets the attribute `galley-placement` on each fig- and tbl- Figure, for floats-render.lua.
Needs the metadata field `galley-typst-text-area`: the text area's width and height in points.
Runs before typst-alt.lua (typst-paths.lua), while each image has the path pandoc read.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local BODY = 11 -- the template's text size, pt
local CAPTION = 9.5 -- its caption size, pt
local CAP, LEADING = 0.75, 0.62 -- a line's height (Typst's: the capitals') and the leading, in ems
local CHAR = 0.5 -- an average character's width in ems
local INSET = 5 -- a table cell's inset on each side, pt (Typst's default)
local FITS, TOO_TALL = 0.95, 1.3 -- shares of the text area's height, as estimated

local area = nil -- { width = pt, height = pt }

local UNITS = { pt = 1, mm = 72 / 25.4, cm = 72 / 2.54, ['in'] = 72, px = 72 / 96, [''] = 72 / 96 }

-- A length attribute in points (a percentage of `whole`), or nil.
local function points(value, whole)
  local number, unit = (value or ''):match('^(%d*%.?%d+)(%a*%%?)$')
  if not number then return nil end
  if unit == '%' then return tonumber(number) / 100 * whole end
  return UNITS[unit] and tonumber(number) * UNITS[unit] or nil
end

local function lines(chars, size, width)
  return math.max(1, math.ceil(chars * CHAR * size / width))
end

-- Text's length in average characters: a wide (East Asian) character counts as two.
local function chars(text)
  if not text:find('[\128-\255]') then return #text end -- ASCII: a character a byte
  local count = 0
  for _, code in utf8.codes(text) do count = count + (code >= 0x1100 and 2 or 1) end
  return count
end

local function lines_height(count, size)
  return (count * CAP + (count - 1) * LEADING) * size
end

local function caption_height(figure)
  local count = chars(pandoc.utils.stringify(figure.caption.long))
  if count == 0 then return 0 end
  return lines_height(lines(count + 12, CAPTION, area.width), CAPTION) + BODY -- "Figure 1: ", the gap
end

local function read_image(src)
  if src:match('^data:') then
    local ok, _, contents = pcall(pandoc.mediabag.fetch, src)
    return ok and contents or nil
  end
  -- A local file as local-files.lua put it in the media bag: none outside the project.
  local _, contents = pandoc.mediabag.lookup(src)
  return contents
end

-- The image's height in points as the figure shows it, at most as wide as the text.
local function image_height(image)
  local height = points(image.attributes.height, area.height)
  if height then return height end
  local contents = read_image(image.src)
  local ok, size = pcall(pandoc.image.size, contents or '')
  if not contents or not ok or not size or size.width == 0 then return nil end
  local width = math.min(points(image.attributes.width, area.width) or area.width, area.width)
  return width * size.height / size.width
end

local function only_image(blocks)
  if #blocks ~= 1 or (blocks[1].t ~= 'Plain' and blocks[1].t ~= 'Para') then return nil end
  local image = nil
  for _, inline in ipairs(blocks[1].content) do
    if inline.t == 'Image' and not image then
      image = inline
    elseif inline.t ~= 'Space' and inline.t ~= 'SoftBreak' then
      return nil
    end
  end
  return image
end

-- Whether `blocks` hold an inline whose size is not its text's.
local function holds_other_than_text(blocks)
  local found = false
  local function other() found = true end
  blocks:walk { Image = other, Math = other, RawInline = other, Note = other }
  return found
end

-- A cell's text length, or nil if it holds more than paragraphs.
local function cell_chars(cell)
  local count = 0
  for _, block in ipairs(cell.contents) do
    if block.t ~= 'Plain' and block.t ~= 'Para' then return nil end
    count = count + chars(pandoc.utils.stringify(block)) + 1
  end
  return count
end

local function table_rows(tbl)
  local rows = pandoc.List {}
  local function add(list) for _, row in ipairs(list) do rows:insert(row) end end
  add(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    add(body.head)
    add(body.body)
  end
  add(tbl.foot.rows)
  return rows
end

-- Column widths in points: the widths the table gives, or Typst's automatic ones, where a
-- column narrower than its fair share keeps its text's width and the others share the rest.
local function column_widths(tbl, natural)
  local widths, given = {}, 0
  for i, spec in ipairs(tbl.colspecs) do
    local share = spec[2] or spec.width
    if type(share) == 'number' and share > 0 then
      widths[i] = share * area.width
      given = given + 1
    end
  end
  if given == #tbl.colspecs then return widths end
  local open, left = {}, area.width
  for i = 1, #tbl.colspecs do
    if widths[i] then left = left - widths[i] else open[#open + 1] = i end
  end
  while #open > 0 do
    local fair, still = left / #open, {}
    for _, i in ipairs(open) do
      if natural[i] <= fair then
        widths[i], left = natural[i], left - natural[i]
      else
        still[#still + 1] = i
      end
    end
    if #still == #open then
      for _, i in ipairs(still) do widths[i] = fair end
      break
    end
    open = still
  end
  return widths
end

-- Nil for a table of more than text: a cell of other blocks, spanning cells or columns, or
-- inlines that are not text (looked for in one walk of all the cells, not one per cell).
local function table_height(tbl)
  local rows, natural = table_rows(tbl), {}
  for i = 1, #tbl.colspecs do natural[i] = 2 * INSET end
  local chars, contents = {}, pandoc.Blocks {}
  for r, row in ipairs(rows) do
    chars[r] = {}
    local column = 1
    for _, cell in ipairs(row.cells) do
      local count = cell_chars(cell)
      if not count or cell.col_span ~= 1 or cell.row_span ~= 1 or column > #tbl.colspecs then
        return nil
      end
      contents:extend(cell.contents)
      chars[r][column] = count
      natural[column] = math.max(natural[column], count * CHAR * BODY + 2 * INSET)
      column = column + 1
    end
  end
  if holds_other_than_text(contents) then return nil end
  local widths = column_widths(tbl, natural)
  local height = 0
  for r = 1, #rows do
    local tallest = 1
    for column, count in pairs(chars[r]) do
      tallest = math.max(tallest, lines(count, BODY, math.max(widths[column] - 2 * INSET, BODY)))
    end
    height = height + lines_height(tallest, BODY) + 2 * INSET
  end
  return height
end

local function content_height(figure)
  if figure.attributes['galley-has-subfloats'] then return nil end
  local image = only_image(figure.content)
  if image then return image_height(image) end
  if #figure.content == 1 and figure.content[1].t == 'Table' then
    return table_height(figure.content[1])
  end
  return nil
end

local function placement(figure)
  local height = content_height(figure)
  if not height then return 'measure' end
  local share = (height + caption_height(figure)) / area.height
  if share <= FITS then return 'float' end
  if share >= TOO_TALL then return 'text' end
  return 'measure'
end

return {
  {
    Meta = function(meta)
      local width, height = pandoc.utils.stringify(meta['galley-typst-text-area'] or '')
        :match('^(%d+%.?%d*) (%d+%.?%d*)$')
      if width then area = { width = tonumber(width), height = tonumber(height) } end
    end,
  },
  {
    Figure = function(figure)
      if FORMAT ~= 'typst' or not area or figure.attributes['galley-subfloat'] then return nil end
      local kind = figure.identifier:match('^(%a+)%-')
      if kind ~= 'fig' and kind ~= 'tbl' then return nil end
      figure.attributes['galley-placement'] = placement(figure)
      return figure
    end,
  },
}
