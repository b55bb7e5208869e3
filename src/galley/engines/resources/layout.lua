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

local VALIGNS = { top = true, center = true, bottom = true, ['top-baseline'] = true }
-- Typst grids align cells at the top already; the other vertical alignments need saying.
local TYPST_VALIGN = { center = 'horizon', bottom = 'bottom' }
local FLEX = { left = 'flex-start', center = 'center', right = 'flex-end' }
local WORD_ALIGN = { left = pandoc.AlignLeft, center = pandoc.AlignCenter, right = pandoc.AlignRight }
-- Word's default text width (Letter or A4 less pandoc's 1in margins): a cell's share of it is the
-- width an image gets, so that an image never overflows its table cell.
local DOCX_TEXT_WIDTH_IN = 6.5

-- The arithmetic of rows and widths lives beside this file (pandoc's `require` does not look there).
local layout_cells = dofile(pandoc.path.join { pandoc.path.directory(PANDOC_SCRIPT_FILE), 'layout-cells.lua' })
local arrange, cell_image, has_element = layout_cells.arrange, layout_cells.cell_image, layout_cells.has_element
local has_layout, make_cells, percent_of = layout_cells.has_layout, layout_cells.make_cells, layout_cells.percent_of

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

-- Typst has no pixels: a bare number or `px` is pixels at pandoc's dpi, written in inches.
local function typst_length(width)
  if not width then return '1fr' end
  local pixels = tonumber(width) or tonumber(width:match('^(.-)px$') or '')
  if not pixels then return width end
  local dpi = PANDOC_WRITER_OPTIONS and PANDOC_WRITER_OPTIONS.dpi or 96
  return string.format('%.6fin', pixels / dpi)
end

-- Typst, outside a figure: a grid per row, its columns the cells' widths.
local function typst_rows(rows, valign)
  local out = pandoc.Blocks {}
  local align = TYPST_VALIGN[valign] and (' align: ' .. TYPST_VALIGN[valign] .. ',') or ''
  for _, row in ipairs(rows) do
    local columns = {}
    for i, cell in ipairs(row) do columns[i] = typst_length(cell.attributes.width) end
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

-- The columns of a figure's grid: a count when they are equal, else the first row's widths
-- (`layout="[[1,2]]"` keeps its proportions); rows of different lengths fall back to the longest.
local function typst_columns(rows, ncol)
  if ncol then return tostring(ncol) end
  local widths, longest, equal = {}, 0, true
  for i, cell in ipairs(rows[1] or {}) do widths[i] = typst_length(cell.attributes.width) end
  for _, row in ipairs(rows) do
    longest = math.max(longest, #row)
    equal = equal and #row == #widths
  end
  local all_one = #widths == #pandoc.List(widths):filter(function(w) return w == '1fr' end)
  if not equal or all_one then return tostring(longest) end
  return '(' .. table.concat(widths, ', ') .. ')'
end

-- Typst, inside a figure: one grid holding every cell, so that the figure's (and its
-- sub-figures') numbering stays Typst's.
local function typst_grid(rows, ncol)
  local out = pandoc.Blocks {
    pandoc.RawBlock('typst', '#grid(columns: ' .. typst_columns(rows, ncol) .. ', gutter: 2em,'),
  }
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
  if FORMAT:match('typst') then
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
  -- Figures in the cells are sub-figures even without a float id of their own (crossref.lua
  -- marks only numbered ones): the float renderer then writes the figure as a parent of figures.
  if has_element(pandoc.Div(figure.content), 'Figure') then
    figure.attributes['galley-has-subfloats'] = 'true'
  end
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
