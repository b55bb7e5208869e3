--[[
pipeline.lua: galley's filters, run in order in one Lua state.

Pandoc starts a new Lua state for each `--lua-filter` (applyFilter in pandoc-lua-engine's
Text/Pandoc/Lua/Engine.hs), which costs about 10 ms a filter: 0.17 s of each of galley's pandoc
runs, more than a paragraph's whole render in the preview. This filter runs the files named, one
per line, by GALLEY_FILTERS, as pandoc would run them (runFilterFile' in Text/Pandoc/Lua/Filter.hs):
- each file in an environment of its own, where PANDOC_SCRIPT_FILE is its own path, so that its
  globals are its own, as in a state of its own;
- its filters are the ones it returns (one, or a list), else the functions it defined;
- each is applied to the whole document in turn (`walk`, which applies the `Pandoc` function too).

One run may write the DOCX too (GALLEY_SECOND names a JSON file: `format`, `metadata`, `output`,
`environment`): when the HTML's and the DOCX's runs would go one after the other anyway, they share
the run's start, its reading of the document and its Lua state. Before the run's own chain, the
DOCX's chain runs on the document as read, with its metadata (its metadata file read as
`--metadata-file` reads it, every string as pandoc's Markdown), FORMAT and GALLEY_* environment,
and `pandoc.write` writes it to `output`, as the sandboxed run's own writer would: pandoc.write is
outside `--sandbox`, so the DOCX is written here only when its writer would read nothing the
sandbox withholds (`withheld`). What it reports on stderr ends with a line
`galley-second-format-end` and, after a tab, `ok`, `failed` (its failure written before that
line; the run's own format goes on) or `apart` (not written here: galley runs it alone).
]]
PANDOC_VERSION:must_be_at_least '3.1'

local function load_filters(path)
  local env = setmetatable({ PANDOC_SCRIPT_FILE = path }, { __index = _G })
  local returned = table.pack(assert(loadfile(path, 't', env))())
  local filters = returned[1]
  if returned.n >= 1 and filters ~= nil then
    if #filters == 0 then return { filters } end
    return filters
  end
  local implicit = {}
  for key, value in pairs(env) do
    if type(value) == 'function' or key == 'traverse' then implicit[key] = value end
  end
  return { implicit }
end

local function chain(doc, filters)
  for path in filters:gmatch('[^\n]+') do
    for _, filter in ipairs(load_filters(path)) do
      doc = doc:walk(filter)
    end
    -- What a filter left behind (earlier copies of the document among it) is freed now, as
    -- when its own Lua state closed: Lua's collector sees only small handles to pandoc's
    -- documents, so it would not hurry, and pandoc would keep every copy (1.1 GB at 100x).
    collectgarbage('collect')
  end
  return doc
end

local function read_file(path)
  local handle = assert(io.open(path, 'rb'))
  local contents = handle:read('a')
  handle:close()
  return contents
end

-- What the DOCX writer would read here that the sandboxed run's writer could not, or nil. The
-- sandboxed writer reads an image from the media bag (where local-files.lua puts the project's
-- allowed files) or a `data:` URI, and nothing else: no file, no URL (fetchItem in pandoc 3.9's
-- Writers/Docx/OpenXML.hs, in PandocPure). Its other reads (loadArchives in Writers/Docx.hs,
-- getTranslations in Translations.hs) are pandoc's own data files, which the writer here would
-- take from the user data directory instead, if that holds a reference.docx or translations.
local function withheld(doc)
  local found
  doc:walk {
    Image = function(image)
      local src = image.src
      if not found and src:sub(1, 5) ~= 'data:' and not pandoc.mediabag.lookup(src) then
        found = src
      end
    end,
  }
  local data_dir = PANDOC_STATE.user_data_dir
  if found or not data_dir then return found end
  local listed, names = pcall(pandoc.system.list_directory, data_dir)
  for _, name in ipairs(listed and names or {}) do
    if name == 'reference.docx' or name == 'translations' then return name end
  end
  return nil
end

-- The second format written to its output; false when it would read what the sandbox withholds.
local function write_second(doc, spec)
  -- The document as read carries no metadata of its own (galley reads the body alone), so the
  -- second format's is its metadata file's. JSON is YAML: read as a Markdown front matter, its
  -- strings are read as `--metadata-file` reads them.
  local meta = pandoc.read('---\n' .. read_file(spec.metadata) .. '\n---\n', 'markdown').meta
  local second = chain(pandoc.Pandoc(doc.blocks, meta), spec.environment.GALLEY_FILTERS)
  if withheld(second) then return false end
  -- The sandboxed writer's environment is PandocPure's (Class/PandocPure.hs): USER alone, its
  -- clock at 0 (a DOCX's dates); pandoc.write's is the process's, with SOURCE_DATE_EPOCH or the
  -- time, and USERNAME.
  local sandboxed = { USER = 'pandoc-user', SOURCE_DATE_EPOCH = '0' }
  local bytes = pandoc.system.with_environment(sandboxed, function()
    return pandoc.write(second, spec.format)
  end)
  local handle = assert(io.open(spec.output, 'wb'))
  handle:write(bytes)
  handle:close()
  return true
end

-- The second format's chain sees its own FORMAT and GALLEY_* environment, in the filter files
-- and in what they load with dofile (which runs in the global environment).
local function as_second(spec, action)
  local getenv, format = os.getenv, FORMAT
  os.getenv = function(name)
    local value = spec.environment[name]
    if value ~= nil then return value end
    return getenv(name)
  end
  FORMAT = spec.format
  local ok, written = pcall(action)
  os.getenv, FORMAT = getenv, format
  collectgarbage('collect')
  local status = not ok and 'failed' or written and 'ok' or 'apart'
  if not ok then io.stderr:write(tostring(written), '\n') end
  io.stderr:write('galley-second-format-end\t', status, '\n')
end

local function run(doc)
  local second = os.getenv('GALLEY_SECOND')
  if second and second ~= '' then
    local spec = pandoc.json.decode(read_file(second), false)
    as_second(spec, function() return write_second(doc, spec) end)
  end
  return chain(doc, os.getenv('GALLEY_FILTERS') or '')
end

return { { Pandoc = run } }
