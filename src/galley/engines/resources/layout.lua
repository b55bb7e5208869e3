--[[
layout.lua: Quarto's panel layouts for the embedded engine.

A div or a figure with `layout-ncol`, `layout-nrow` or `layout` (a JSON list of rows of relative
widths, negative numbers being empty spacers) has its blocks arranged in rows of cells, with
`layout-align` and `layout-valign`, as Quarto arranges them:
  HTML   div.quarto-layout-panel > div.quarto-layout-row > div.quarto-layout-cell (flex-basis)
  DOCX   one borderless Word table per row
  Typst  a `#grid` per row; inside a figure, one `#grid(columns: N, gutter: 2em, …)`
A figure keeps its identifier, number and caption: its content becomes the panel, and the float
renderer that runs after this filter draws the figure (and its sub-figures) around it.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local LAYOUT_KEYS = { 'layout-ncol', 'layout-nrow', 'layout' }
local VALIGNS = { top = true, center = true, bottom = true, ['top-baseline'] = true }
-- Typst grids align cells at the top already; the other vertical alignments need saying.
local TYPST_VALIGN = { center = 'horizon', bottom = 'bottom' }
local FLEX = { left = 'flex-start', center = 'center', right = 'flex-end' }
local WORD_ALIGN = { left = pandoc.AlignLeft, center = pandoc.AlignCenter, right = pandoc.AlignRight }
-- Word's default text width (Letter or A4 less pandoc's 1in margins): a cell's share of it is the
-- width an image gets, so that an image never overflows its table cell.
local DOCX_TEXT_WIDTH_IN = 6.5

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
      local image = cell_image(cell)
      if image then
        cell.attributes.width = image.attributes.width
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
      elseif type(width) ~= 'string' then
        fail('layout', text, 'has a width that is neither a number nor a size; write e.g. layout="[[1,1],[1]]"')
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
      if is_typst() then
        local pixels = tonumber(cell.attributes.width or '')
        local dpi = PANDOC_WRITER_OPTIONS and PANDOC_WRITER_OPTIONS.dpi or 96
        cell.attributes.width = pixels and string.format('%.6fin', pixels / dpi) or cell.attributes.width or '1fr'
      else
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
      cell.attributes['layout-align'] = FLEX[align or ''] and align or content_align
    end
  end
  return rows
end


-- HTML: flex rows of cells, each cell's share of the row as its flex-basis.
local function html_rows(rows, valign, parent_id)
  local out = pandoc.Blocks {}
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row) do
      local attributes = cell.attributes
      local style = 'flex-basis: ' .. (attributes.width or '100%') .. ';justify-content: '
        .. FLEX[attributes['layout-align']] .. ';'
      attributes.width, attributes['layout-align'] = nil, nil
      attributes.style = attributes.style and (attributes.style:gsub(';?$', ';') .. style) or style
      if parent_id and has_element(cell, 'Figure') then
        cell.classes:insert('quarto-layout-cell-subref')
        attributes['ref-parent'] = parent_id
      end
      cell.classes:insert('quarto-layout-cell')
    end
    out:insert(pandoc.Div(row, { class = 'quarto-layout-row quarto-layout-valign-' .. valign }))
  end
  return out
end

-- An image gets its cell's share of the text width, so Word keeps it inside the cell.
local function fit_images(cell)
  local percent = percent_of(cell.attributes.width)
  if not percent then return cell end
  return cell:walk {
    Image = function(image)
      local width = image.attributes.width
      if width == nil or percent_of(width) then
        image.attributes.width = string.format('%.2fin', percent / 100 * DOCX_TEXT_WIDTH_IN)
        return image
      end
    end,
  }
end

-- Word joins tables that touch: a tiny empty paragraph keeps the rows apart.
local WORD_ROW_GAP = pandoc.RawBlock('openxml',
  '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/></w:pPr></w:p>')

-- DOCX: a borderless table per row (pandoc's Table style draws no cell borders).
local function docx_rows(rows)
  local out = pandoc.Blocks {}
  for index, row in ipairs(rows) do
    local aligns, widths, cells = {}, {}, {}
    for i, cell in ipairs(row) do
      local align = cell.attributes['layout-align']
      -- Word applies a cell's alignment to a table inside it: centre such a cell by its width.
      aligns[i] = has_element(cell, 'Table') and pandoc.AlignDefault or WORD_ALIGN[align]
      widths[i] = (percent_of(cell.attributes.width) or 0) / 100
      cells[i] = { fit_images(cell) }
    end
    out:insert(pandoc.utils.from_simple_table(pandoc.SimpleTable({}, aligns, widths, {}, { cells })))
    if index < #rows then out:insert(WORD_ROW_GAP) end
  end
  return out
end

-- An image alone in a Typst cell without a width fills the cell: pandoc would otherwise give it
-- its pixel size, which overflows a narrow column.
local function fill_cell(cell)
  local image = cell_image(cell)
  if image and not image.attributes.width then image.attributes.width = "100%" end
  return cell
end

-- Typst, outside a figure: a grid per row, its columns the cells' widths.
local function typst_rows(rows, valign)
  local out = pandoc.Blocks {}
  local align = TYPST_VALIGN[valign] and (' align: ' .. TYPST_VALIGN[valign] .. ',') or ''
  for _, row in ipairs(rows) do
    local columns = {}
    for i, cell in ipairs(row) do columns[i] = cell.attributes.width or '1fr' end
    out:insert(pandoc.RawBlock('typst', '#grid('))
    out:insert(pandoc.RawBlock('typst', 'columns: (' .. table.concat(columns, ', ') .. '), gutter: 1em, rows: 1,' .. align))
    for _, cell in ipairs(row) do
      out:insert(pandoc.RawBlock('typst', '  rect(stroke: none, width: 100%)['))
      out:insert(fill_cell(cell))
      out:insert(pandoc.RawBlock('typst', '],'))
    end
    out:insert(pandoc.RawBlock('typst', ')\n'))
  end
  return out
end

-- Typst, inside a figure: one grid holding every cell, so that the figure's (and its
-- sub-figures') numbering stays Typst's.
local function typst_grid(rows, ncol)
  local columns = ncol or 0
  if not ncol then
    for _, row in ipairs(rows) do columns = math.max(columns, #row) end
  end
  local out = pandoc.Blocks { pandoc.RawBlock('typst', '#grid(columns: ' .. columns .. ', gutter: 2em,') }
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row) do
      out:insert(pandoc.RawBlock('typst', '  ['))
      out:insert(fill_cell(cell))
      out:insert(pandoc.RawBlock('typst', '],'))
    end
  end
  out:insert(pandoc.RawBlock('typst', ')'))
  return out
end

local function render_rows(rows, attributes, parent_id)
  local valign = attributes['layout-valign']
  valign = VALIGNS[valign or ''] and valign or 'top'
  if FORMAT:match('html') then return html_rows(rows, valign, parent_id) end
  if FORMAT == 'docx' then return docx_rows(rows) end
  if is_typst() then
    if parent_id then return typst_grid(rows, tonumber(attributes['layout-ncol'])) end
    return typst_rows(rows, valign)
  end
  local blocks = pandoc.Blocks {}
  for _, row in ipairs(rows) do
    for _, cell in ipairs(row) do blocks:insert(cell) end
  end
  return blocks
end

local function strip_layout(attributes)
  for _, key in ipairs({ 'layout-ncol', 'layout-nrow', 'layout', 'layout-align', 'layout-valign' }) do
    attributes[key] = nil
  end
end

-- A figure keeps its identity and caption; its blocks become the panel.
local function layout_figure(figure)
  if not has_layout(figure.attributes) then return nil end
  local rows = arrange(figure.attributes, make_cells(figure.content))
  figure.content = render_rows(rows, figure.attributes, figure.identifier ~= '' and figure.identifier or nil)
  strip_layout(figure.attributes)
  figure.classes:insert('quarto-layout-panel')
  return figure
end

local function layout_div(div)
  if not has_layout(div.attributes) then return nil end
  local rows = arrange(div.attributes, make_cells(div.content))
  div.content = render_rows(rows, div.attributes, nil)
  div.attributes['layout-valign'] = nil
  div.classes:insert('quarto-layout-panel')
  return div
end

return {
  { Figure = layout_figure, Div = layout_div },
}
