--[[
blocks.lua: the document as its reader sees it, block by block, for `galley diff`.

Runs last in the article's own HTML pass (galley.review.rendered), after the cross-references,
the citations and the filters that shape the page: a citation is the text it prints, a
cross-reference "Figure 1", a heading carries its number. Each block's text is written by pandoc's
plain writer, so it holds no markup (math as Unicode where pandoc can write it so). The output is
one JSON object, `front` (the title block's fields as text) and `blocks` in reading order, each
{kind, section, text} with, by kind, an `id`, a `level`, the table's `rows` or the figure's
`images`.
]]
PANDOC_VERSION:must_be_at_least '3.1.1'  -- pandoc.json

local OPTIONS = { wrap_text = 'none' }

local as_text = {
  -- The page's non-breaking space ("Figure&nbsp;1") is a raw HTML entity; other raw markup is
  -- the page's structure, not its text.
  RawInline = function(raw)
    if raw.text == '&nbsp;' then return pandoc.Str('\u{a0}') end
    return {}
  end,
  RawBlock = function() return {} end,
  -- An image's text is its alt text, which a figure's record carries apart.
  Image = function() return {} end,
}

local function text(blocks)
  local doc = pandoc.Pandoc(pandoc.Blocks(blocks):walk(as_text))
  return (pandoc.write(doc, 'plain', OPTIONS):gsub('^%s+', ''):gsub('%s+$', ''))
end

local function inline_text(inlines)
  return text({ pandoc.Plain(inlines) })
end

local function meta_text(value)
  local kind = pandoc.utils.type(value)
  if kind == 'Inlines' then return inline_text(value) end
  if kind == 'Blocks' then return text(value) end
  if kind == 'List' then
    local parts = {}
    for _, item in ipairs(value) do table.insert(parts, meta_text(item)) end
    return table.concat(parts, '; ')
  end
  if kind == 'table' and value.name then return meta_text(value.name) end
  if value == nil then return '' end
  return pandoc.utils.stringify(value)
end

local function front(meta)
  return {
    title = meta_text(meta.title),
    subtitle = meta_text(meta.subtitle),
    authors = meta_text(meta['galley-authors']),
    affiliations = meta_text(meta['galley-affiliations']),
    abstract = meta_text(meta.abstract),
    keywords = meta_text(meta.keywords),
  }
end

local function table_rows(tbl)
  local rows = {}
  local function add(list)
    for _, row in ipairs(list) do
      local cells = {}
      for _, cell in ipairs(row.cells) do table.insert(cells, text(cell.contents)) end
      table.insert(rows, cells)
    end
  end
  add(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    add(body.head)
    add(body.body)
  end
  add(tbl.foot.rows)
  return rows
end

local Reader = {}
Reader.__index = Reader

function Reader:add(record)
  record.section = self.section
  table.insert(self.blocks, record)
end

function Reader:float(div)
  local images, tables, caption = {}, {}, {}
  div.content:walk {
    Image = function(image)
      table.insert(images, { src = image.src, alt = inline_text(image.caption) })
    end,
    Table = function(tbl) table.insert(tables, tbl) end,
  }
  -- The caption is the float's own text; its content sits in inner divs.
  for _, block in ipairs(div.content) do
    if block.t == 'Para' or block.t == 'Plain' then table.insert(caption, block) end
  end
  local record = { kind = 'figure', id = div.identifier, text = text(caption), images = images }
  if #tables > 0 then
    record.kind = 'table'
    record.rows = table_rows(tables[1])
  end
  self:add(record)
end

function Reader:list(items)
  for _, item in ipairs(items) do
    local own, nested = {}, {}
    for _, block in ipairs(item) do
      if block.t == 'BulletList' or block.t == 'OrderedList' then
        table.insert(nested, block)
      else
        table.insert(own, block)
      end
    end
    local words = text(own)
    if words ~= '' then self:add({ kind = 'item', text = words }) end
    for _, list in ipairs(nested) do self:list(list.content) end
  end
end

function Reader:read(blocks)
  for _, block in ipairs(blocks) do
    local t = block.t
    if t == 'Header' then
      self.section = inline_text(block.content)
      self:add({ kind = 'heading', level = block.level, id = block.identifier, text = self.section })
    elseif t == 'Para' or t == 'Plain' or t == 'LineBlock' or t == 'CodeBlock' then
      local words = text({ block })
      if words ~= '' then self:add({ kind = 'paragraph', text = words }) end
    elseif t == 'BulletList' or t == 'OrderedList' then
      self:list(block.content)
    elseif t == 'DefinitionList' then
      for _, item in ipairs(block.content) do
        self:add({ kind = 'item', text = inline_text(item[1]) })
        for _, definition in ipairs(item[2]) do self:read(definition) end
      end
    elseif t == 'Table' then
      self:add({ kind = 'table', id = block.identifier, text = text(block.caption.long),
                 rows = table_rows(block) })
    elseif t == 'Figure' then
      -- A figure no filter made a float of (no label): its content inside, its caption beside.
      local content = pandoc.Blocks({ pandoc.Div(block.content) }) .. block.caption.long
      self:float(pandoc.Div(content, pandoc.Attr(block.identifier)))
    elseif t == 'Div' and block.identifier == 'refs' then
      for _, entry in ipairs(block.content) do
        if entry.t == 'Div' and entry.classes:includes('csl-entry') then
          local key = entry.identifier:gsub('^ref%-', '')
          self:add({ kind = 'reference', id = key, text = text(entry.content) })
        end
      end
    elseif t == 'Div' and block.classes:includes('quarto-float') then
      self:float(block)
    elseif t == 'Div' or t == 'BlockQuote' then
      self:read(block.content)
    end
  end
end

function Pandoc(doc)
  local reader = setmetatable({ blocks = {}, section = '' }, Reader)
  reader:read(doc.blocks)
  local result = { front = front(doc.meta), blocks = reader.blocks }
  return pandoc.Pandoc({ pandoc.RawBlock('html', pandoc.json.encode(result)) })
end
