--[[
layout-cells.lua: the cells and rows of a panel layout, for layout.lua (loaded with dofile).

Blocks become cells and cells rows, from `layout-ncol`, `layout-nrow` or `layout` (a JSON list of
rows of relative widths, negative numbers being empty spacers), each cell with its width (a
percentage of the row; in Typst a fraction or a length) and its alignment, as Quarto computes them.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local LAYOUT_KEYS = { 'layout-ncol', 'layout-nrow', 'layout' }
local ALIGNS = { left = true, center = true, right = true }

local function has_layout(attributes)
  for _, key in ipairs(LAYOUT_KEYS) do
    if attributes[key] then return true end
  end
  return false
end

local function round(x, places)
  local scale = 10 ^ places
  return math.floor(x * scale + 0.5) / scale
end

local function percent_of(width)
  local number = width and width:match('^([%d%.]+)%%$')
  return number and tonumber(number) or nil
end

-- A width as a number and a unit CSS and Typst both read (px only in HTML: Typst gets inches),
-- or nil: a width is written into a style attribute and into Typst code, so nothing else passes.
local UNITS = { [''] = true, ['%'] = true, fr = true, px = true, ['in'] = true, cm = true, mm = true, pt = true, em = true }
local function size(value)
  if type(value) ~= 'string' then return nil end
  local number, unit = value:match('^(%-?%d*%.?%d+)(%a*%%?)$')
  return number and UNITS[unit] and value or nil
end

local function is_typst()
  return FORMAT:match('typst') ~= nil
end

-- A bad layout value stops the render; galley reads this line to name the file and line.
local function fail(key, value, message)
  io.stderr:write('galley-layout-error\t' .. key .. '\t' .. value .. '\t' .. message .. '\n')
  error(key .. '="' .. value .. '": ' .. message)
end

-- The image a cell shows on its own: a paragraph holding one image, or a figure made of one.
local function cell_image(cell)
  local block = cell.content[1]
  if #cell.content ~= 1 or not block then return nil end
  if block.t == 'Figure' and #block.content == 1 then block = block.content[1] end
  if (block.t == 'Para' or block.t == 'Plain') and #block.content == 1 and block.content[1].t == 'Image' then
    return block.content[1]
  end
  return nil
end

local function has_element(cell, kind)
  local found = false
  cell:walk { [kind] = function() found = true end }
  return found
end

-- Blocks become cells; a heading goes into the cell after it. An image's width becomes its cell's
-- (a percentage moves, a length stays on the image too), and its height goes: the row sets it.
local function make_cells(blocks)
  local cells, heading = pandoc.List {}, nil
  for _, block in ipairs(blocks) do
    if block.t == 'Header' then
      heading = block
    else
      local cell = block.t == 'Div' and block or pandoc.Div { block }
      cell.attributes.width = size(cell.attributes.width)
      local image = cell_image(cell)
      if image then
        cell.attributes.width = size(image.attributes.width)
        if percent_of(image.attributes.width) then image.attributes.width = nil end
        image.attributes.height = nil
      end
      if heading then
        cell.content:insert(1, heading)
        heading = nil
      end
      cells:insert(cell)
    end
  end
  return cells
end

local function spacer(width)
  return pandoc.Div({ pandoc.Para { pandoc.Str('\u{a0}') } }, { class = 'quarto-figure-spacer', width = width })
end

-- `layout="[[1,1],[1]]"`: each number is a share of its row (Typst: a fraction, `1fr`).
local function parse_layout(text)
  local ok, rows = pcall(pandoc.json.decode, text, false)
  if not ok or type(rows) ~= 'table' or #rows == 0 then
    fail('layout', text, 'is not a list of rows of widths; write e.g. layout="[[1,1],[1]]"')
  end
  if type(rows[1]) ~= 'table' then rows = { rows } end
  local spec = {}
  for _, row in ipairs(rows) do
    if type(row) ~= 'table' or #row == 0 then
      fail('layout', text, 'mixes rows and widths or has an empty row; write e.g. layout="[[1,1],[1]]"')
    end
    local total = 0
    for _, width in ipairs(row) do
      if type(width) ~= 'number' then total = 0; break end
      total = total + math.abs(width)
    end
    local widths = {}
    for _, width in ipairs(row) do
      if type(width) == 'number' and is_typst() then
        width = tostring(width):gsub('%.0$', '') .. 'fr'
      elseif type(width) == 'number' then
        width = tostring(total ~= 0 and round(width / total * 100, 2) or round(width * 100, 2)) .. '%'
      elseif not size(width) then
        fail('layout', text, 'has a width that is neither a number nor a size such as "40%"; write e.g. layout="[[1,1],[1]]"')
      end
      widths[#widths + 1] = tostring(width)
    end
    spec[#spec + 1] = pandoc.List(widths)
  end
  return spec
end

local function rows_from_layout(cells, text)
  local spec, rows, next_cell = parse_layout(text), pandoc.List {}, 1
  local index = 0
  while next_cell <= #cells do
    index = index + 1
    local widths = spec[math.min(index, #spec)]
    if index > #spec and #widths == #widths:filter(function(w) return w:sub(1, 1) == '-' end) then
      fail('layout', text, 'ends with a row of spacers only, so the other blocks have no place; give it a positive width')
    end
    local row = pandoc.List {}
    for _, width in ipairs(widths) do
      if width:sub(1, 1) == '-' then
        row:insert(spacer(width:sub(2)))
      elseif cells[next_cell] then
        cells[next_cell].attributes.width = width
        cells[next_cell].attributes.height = nil
        row:insert(cells[next_cell])
        next_cell = next_cell + 1
      end
    end
    rows:insert(row)
  end
  return rows
end

-- Cells without a width share the row with those that have one, as Quarto shares it.
local function share_widths(rows, columns)
  for _, row in ipairs(rows) do
    local numbers, default = {}, nil
    for i, cell in ipairs(row) do
      numbers[i] = tonumber((cell.attributes.width or ''):match('^(-?[%d%.]+)')) or 0
      if numbers[i] > 0 and not default then default = numbers[i] end
    end
    default = default or 1
    local total = 0
    for i = 1, math.max(columns, #row) do
      if not numbers[i] or numbers[i] == 0 then numbers[i] = default end
      total = total + numbers[i]
    end
    for i, cell in ipairs(row) do
      -- Typst's grid shares the rest of a row itself (`1fr`): its cells keep their own widths.
      if not is_typst() then
        cell.attributes.width = tostring(round(numbers[i] / total * 100, 1)) .. '%'
      end
      cell.attributes.height = nil
    end
  end
end

local function rows_from_counts(cells, ncol, nrow)
  local columns = ncol or math.ceil(#cells / nrow)
  local rows = pandoc.List {}
  for i, cell in ipairs(cells) do
    if (i - 1) % columns == 0 then rows:insert(pandoc.List {}) end
    rows[#rows]:insert(cell)
  end
  share_widths(rows, columns)
  return rows
end

local function positive_integer(value, key)
  if value == nil then return nil end
  local number = tonumber(value)
  if not number or number < 1 or number % 1 ~= 0 then
    fail(key, value, 'is not a whole number of at least 1; write e.g. ' .. key .. '=2')
  end
  return number
end

local function arrange(attributes, cells)
  local ncol = positive_integer(attributes['layout-ncol'], 'layout-ncol')
  local nrow = positive_integer(attributes['layout-nrow'], 'layout-nrow')
  local rows
  if ncol or nrow then
    rows = rows_from_counts(cells, ncol, nrow)
  else
    rows = rows_from_layout(cells, attributes.layout)
  end
  local align = attributes['layout-align']
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row) do
      local percent = percent_of(cell.attributes.width)
      if percent then cell.attributes.width = tostring(round(percent, 1)) .. '%' end
      local content_align = (cell_image(cell) or has_element(cell, 'Table')) and 'center' or 'left'
      cell.attributes['layout-align'] = ALIGNS[align or ''] and align or content_align
    end
  end
  return rows
end

return {
  arrange = arrange, cell_image = cell_image, has_element = has_element,
  has_layout = has_layout, make_cells = make_cells, percent_of = percent_of,
}
