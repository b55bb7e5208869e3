--[[
fragments.lua: what galley adds to the article for one format. The Markdown, read as pandoc reads
it written into the article: the title block's rest for Word before the body (GALLEY_BEFORE), the
citation appendix after it (GALLEY_AFTER), each the path of a file in galley's scratch folder or
empty. The body itself comes read already (galley reads the article once for every format). And
galley's data fields (paths, hashes, links, step names, flags: DATA_FIELDS in
engines/pandoc_metadata.py), from the JSON file GALLEY_DATA names, into the metadata as plain
text: the metadata file would have them read as Markdown, one string at a time. And the HTML
page's scripts (GALLEY_SCRIPTS).

Written after the body, a heading without an identifier gets one that differs from the body's
headings' (`reuse-1` after a heading "Reuse"): pandoc's Markdown reader keeps the identifiers of
the headings it has read. So the text after the body is read behind headings that carry the
body's identifiers, and only what follows them is kept.
]]
PANDOC_VERSION:must_be_at_least '3.1.1'  -- pandoc.json

local function read_file(path)
  local handle = assert(io.open(path, 'rb'))
  local contents = handle:read('a')
  handle:close()
  return contents
end

local function added(name)
  local path = os.getenv(name)
  if not path or path == '' then return nil end
  return read_file(path)
end

-- A heading per identifier the body's headings hold, to read the text after them behind.
local function headings_with_ids_of(blocks)
  local lines = pandoc.List()
  blocks:walk {
    Header = function(header)
      if header.identifier ~= '' then
        local id = header.identifier:gsub('\\', '\\\\'):gsub('"', '\\"')
        lines:insert('# x {id="' .. id .. '"}\n\n')
      end
    end,
  }
  return lines
end

-- The page's scripts, each file named by GALLEY_SCRIPTS (one a line) in a `<script>` element, as
-- raw HTML for the template's `galley-scripts`. Not template partials: pandoc parses a partial
-- as a template, which took 25 ms for their 18 KB.
local function scripts()
  local listed = os.getenv('GALLEY_SCRIPTS')
  if not listed or listed == '' then return nil end
  local elements = {}
  for path in listed:gmatch('[^\n]+') do
    -- Its final newline dropped, as the partials had it (`})();</script>`).
    local text = read_file(path):gsub('\n$', '')
    elements[#elements + 1] = '<script>\n' .. text .. '</script>'
  end
  return pandoc.RawBlock('html', table.concat(elements, '\n'))
end

function Pandoc(doc)
  local data = added('GALLEY_DATA')
  if data then
    -- `false`: objects as plain tables, never as pandoc elements
    for key, value in pairs(pandoc.json.decode(data, false)) do doc.meta[key] = value end
  end
  local page_scripts = scripts()
  if page_scripts then doc.meta['galley-scripts'] = page_scripts end
  local before, after = added('GALLEY_BEFORE'), added('GALLEY_AFTER')
  if not before and not after then return (data or page_scripts) and doc or nil end
  if before then
    local blocks = pandoc.read(before, 'markdown').blocks
    blocks:extend(doc.blocks)
    doc.blocks = blocks
  end
  if after then
    local behind = headings_with_ids_of(doc.blocks)
    local read = pandoc.read(table.concat(behind) .. after, 'markdown').blocks
    for i = #behind + 1, #read do doc.blocks:insert(read[i]) end
  end
  return doc
end
