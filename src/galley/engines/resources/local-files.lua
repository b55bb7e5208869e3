--[[
local-files.lua: hand pandoc the project's files that the article references.

Pandoc runs with --sandbox, so it reads no file by itself: an image for the DOCX or for
--embed-resources is found only in the media bag. galley lists the local files the article
references, each checked to lie inside the project (galley.reading.local_files), in a JSON file
named by the environment variable GALLEY_LOCAL_FILES (target as written -> absolute path);
this filter puts exactly those in the media bag, under the name the writer will ask for.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local function read_file(path)
  local handle = assert(io.open(path, 'rb'))
  local contents = handle:read('a')
  handle:close()
  return contents
end

-- The listings whose files are in the media bag already. A run that writes several formats
-- (pipeline.lua) runs this filter once a format, in one Lua state and one media bag, which no
-- filter or writer changes but this one: a listing put there by an earlier format's chain
-- would only be put there again (1.2 ms of reading and copying the article's two images).
local listed = package.loaded['galley.local-files'] or {}
package.loaded['galley.local-files'] = listed

function Pandoc(doc)
  local listing = os.getenv('GALLEY_LOCAL_FILES')
  if not listing or listing == '' then return nil end
  local text = read_file(listing)
  if listed[text] then return nil end
  for target, path in pairs(pandoc.json.decode(text, false)) do
    pandoc.mediabag.insert(target, nil, read_file(path))
  end
  listed[text] = true
  return nil
end
