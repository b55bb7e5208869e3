--[[
list-table.lua: Quarto's list tables, a table written as a list of rows.

A div `::: {.list-table}` holds a bullet list whose items are bullet lists of cells, and
optionally a paragraph (before or after the list) that is the table's caption; the caption may
end with `{tbl-colwidths=[20,40,40]}`. Div attributes `header-rows` (default 1), `widths`
("1,2,2") and `aligns` ("l,c,r") apply. The div becomes a pandoc table that keeps the div's
identifier, so `::: {#tbl-x .list-table}` is a numbered table float (floats.lua runs next).
]]
PANDOC_VERSION:must_be_at_least '3.1'

local ALIGNS = { l = pandoc.AlignLeft, c = pandoc.AlignCenter, r = pandoc.AlignRight, d = pandoc.AlignDefault }

local function numbers(text)
  local out = {}
  for n in (text or ''):gmatch('[%d.]+') do out[#out + 1] = tonumber(n) end
  return out
end

-- The caption's trailing `{...}` holds table attributes, not words.
local function split_caption(inlines)
  local last = inlines[#inlines]
  if not (last and last.t == 'Str' and last.text:match('}$')) then return inlines, '' end
  local start = #inlines
  while start > 1 and not (inlines[start].t == 'Str' and inlines[start].text:match('^{')) do
    start = start - 1
  end
  if not (inlines[start].t == 'Str' and inlines[start].text:match('^{')) then return inlines, '' end
  local attrs = pandoc.utils.stringify(pandoc.Inlines { table.unpack(inlines, start) })
  local words = pandoc.Inlines { table.unpack(inlines, 1, start - 1) }
  while #words > 0 and words[#words].t == 'Space' do words:remove(#words) end
  return words, attrs
end

local function rows_of(list)
  local rows = {}
  for _, item in ipairs(list.content) do
    if #item ~= 1 or item[1].t ~= 'BulletList' then return nil end
    rows[#rows + 1] = item[1].content
  end
  return rows
end

local function column_specs(div, attrs, count)
  local widths = numbers(attrs:match('tbl%-colwidths=%[([^%]]*)%]') or div.attributes.widths)
  local total = 0
  for _, w in ipairs(widths) do total = total + w end
  local aligns, specs = {}, {}
  for a in (div.attributes.aligns or ''):gmatch('[^,%s]+') do aligns[#aligns + 1] = ALIGNS[a] end
  for i = 1, count do
    local width = (#widths == count and total > 0) and widths[i] / total or 0
    specs[i] = { aligns[i] or pandoc.AlignDefault, width }
  end
  return specs
end

local function list_table(div)
  if not div.classes:includes('list-table') then return nil end
  local list, caption, attrs = nil, pandoc.Inlines {}, ''
  for _, block in ipairs(div.content) do
    if block.t == 'BulletList' and not list then
      list = block
    elseif block.t == 'Para' or block.t == 'Plain' then
      caption, attrs = split_caption(block.content)
    else
      return nil
    end
  end
  local rows = list and rows_of(list)
  if not rows or #rows == 0 then return nil end
  local count = 0
  for _, row in ipairs(rows) do count = math.max(count, #row) end
  local function row_of(cells)
    local out = {}
    for i = 1, count do out[i] = pandoc.Cell(cells[i] or {}) end
    return pandoc.Row(out)
  end
  local header_rows = tonumber(div.attributes['header-rows'] or '1') or 1
  local head, body = {}, {}
  for i, cells in ipairs(rows) do
    table.insert(i <= header_rows and head or body, row_of(cells))
  end
  local long = #caption > 0 and pandoc.Blocks { pandoc.Plain(caption) } or pandoc.Blocks {}
  local tbl = pandoc.Table({ long = long },
    column_specs(div, attrs, count), pandoc.TableHead(head), { { body = body, head = {},
      row_head_columns = 0, attr = pandoc.Attr() } }, pandoc.TableFoot())
  tbl.identifier = div.identifier
  return tbl
end

return { { Div = list_table } }
