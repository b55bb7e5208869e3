--[[
citation-meta.lua: the HTML page's `citation_*` meta tags, which Google Scholar and Zotero read
to index and save the article (Highwire Press tags, as Quarto writes them).

The article's own: citation_title, one citation_author per author, citation_publication_date,
citation_keywords, citation_abstract, citation_language, citation_pdf_url; and one
citation_reference per work of the reference list, its fields as `name=value;` pairs. The values
are plain text escaped once for an attribute (as is each author's `author` tag, written here for
the same reason). Only when galley asks (`galley-citation-meta`):
never in the anonymous edition, whose authors must not be named. Runs after the citations are
rendered; writes the tags to `galley-citation-tags`, which the template places in the head.
]]
PANDOC_VERSION:must_be_at_least '3.1'

-- A value as text. The cited works read from galley's file are text already (as pandoc's
-- stringify would give them back): handing it their fields one by one cost 0.7 ms on the article.
local function s(value)
  if type(value) == 'string' then return value end
  return pandoc.utils.stringify(value)
end

local function escaped(text)
  return (text:gsub('&', '&amp;'):gsub('"', '&quot;'):gsub('<', '&lt;'):gsub('>', '&gt;'))
end

-- One line of text, whatever line breaks or runs of spaces the value held.
local function plain(value)
  if value == nil then return '' end
  return (s(value):gsub('%s+', ' '):gsub('^ ', ''):gsub(' $', ''))
end

local function tag(tags, name, value)
  if value ~= '' then
    tags:insert('<meta name="' .. name .. '" content="' .. escaped(value) .. '">')
  end
end

local function person(name)
  if name.literal then return plain(name.literal) end
  local parts = {}
  for _, part in ipairs { 'given', 'dropping-particle', 'non-dropping-particle', 'family', 'suffix' } do
    if name[part] then table.insert(parts, plain(name[part])) end
  end
  return table.concat(parts, ' ')
end

-- A CSL date as Highwire writes dates: 2001, 2024/03/18.
local function date(value)
  local parts = value and value['date-parts'] and value['date-parts'][1]
  if not parts then return value and value.literal and plain(value.literal) or '' end
  local out = {}
  for index, part in ipairs(parts) do
    local number = tonumber(s(part)) or 0
    out[index] = index == 1 and tostring(number) or string.format('%02d', number)
  end
  return table.concat(out, '/')
end

-- CSL fields (as pandoc names them in Lua: `doi`, `url`) -> Highwire names, in this order.
local REFERENCE_FIELDS = {
  { 'container-title', 'citation_journal_title' }, { 'volume', 'citation_volume' },
  { 'issue', 'citation_issue' }, { 'page', 'citation_pages' }, { 'doi', 'citation_doi' },
  { 'isbn', 'citation_isbn' }, { 'publisher', 'citation_publisher' },
  { 'url', 'citation_fulltext_html_url' },
}

local function reference(item)
  local pairs_ = { 'citation_title=' .. plain(item.title) }
  for _, role in ipairs { 'author', 'editor' } do
    for _, name in ipairs(item[role] or {}) do
      table.insert(pairs_, 'citation_' .. role .. '=' .. person(name))
    end
  end
  local issued = date(item.issued)
  if issued ~= '' then table.insert(pairs_, 'citation_publication_date=' .. issued) end
  for _, field in ipairs(REFERENCE_FIELDS) do
    local value = item[field[1]] or item[field[1]:upper()]
    if value then table.insert(pairs_, field[2] .. '=' .. plain(value)) end
  end
  -- A `;` inside a value would end it early for a reader splitting on `;`.
  for index, pair in ipairs(pairs_) do pairs_[index] = pair:gsub(';', ',') end
  return table.concat(pairs_, '; ') .. ';'
end

-- The cited works: from the file the format that rendered the citations wrote in galley's
-- folder for them (GALLEY_CITATIONS), their fields as text, under the key citations.lua names;
-- else from the bibliographies. The file's path is made here, never taken from the metadata.
local function cited_works(doc, key)
  local folder = os.getenv('GALLEY_CITATIONS') or ''
  local path = folder .. '/works-' .. key .. '.json'
  local file = key:match('^%x+$') and folder ~= '' and io.open(path, 'rb')
  if not file then return pandoc.utils.references(doc) end
  local text = file:read('a')
  file:close()
  return pandoc.json.decode(text, false)
end

function Pandoc(doc)
  local meta = doc.meta
  if not FORMAT:match('html') or not meta['galley-citation-meta'] then return nil end
  local tags = pandoc.List()
  tag(tags, 'citation_title', plain(meta.title))
  for _, author in ipairs(meta['galley-authors'] or {}) do
    tag(tags, 'author', plain(author.name))
    tag(tags, 'citation_author', plain(author.name))
  end
  tag(tags, 'citation_publication_date', plain(meta['galley-citation-date']))
  local keywords = pandoc.List()
  for _, keyword in ipairs(meta.keywords or {}) do keywords:insert(plain(keyword)) end
  tag(tags, 'citation_keywords', table.concat(keywords, '; '))
  tag(tags, 'citation_abstract', plain(meta.abstract))
  tag(tags, 'citation_language', plain(meta.lang))
  tag(tags, 'citation_pdf_url', plain(meta['galley-pdf-href']))
  local key = s(meta['galley-cited-works'] or '')
  meta['galley-cited-works'] = nil
  for _, item in ipairs(cited_works(doc, key)) do
    tag(tags, 'citation_reference', reference(item))
  end
  meta['galley-citation-tags'] = pandoc.MetaBlocks { pandoc.RawBlock('html', table.concat(tags, '\n')) }
  doc.meta = meta  -- the blocks stay as they are, never copied into Lua and back
  return doc
end
