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

One run may write other formats too (GALLEY_SECOND names a JSON file listing them, in order, each
with its `format`, `metadata`, `output` and `environment`): when the formats' runs would go one
after the other anyway, they share the run's start, its reading of the document and its Lua state.
Before the run's own chain, each other format's chain runs on the document as read, with its
metadata (its metadata file read as `--metadata-file` reads it, every string as pandoc's
Markdown), FORMAT, GALLEY_* environment and writer options, and `pandoc.write` writes it to
`output`, as the sandboxed run's own writer would: pandoc.write is outside `--sandbox`, so a
format is written here only when its writer would read nothing the sandbox withholds
(`docx_withheld`, `typst_withheld`). The Typst format (`writer`: `typst` or `typst-citations`, `template`: the template's
path) writes a standalone .typ and then says so on the pipe `ready` names, at once, so that
galley compiles it while this run goes on. What each format reports on stderr ends with a line
`galley-second-format-end`, a tab, its format, a tab and `ok`, `failed` (its failure written
before that line; the next format goes on) or `apart` (not written here: galley runs it alone).
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

-- Whether the user data directory holds one of `names`: pandoc's own data files, which the
-- writer here would take from there, where the sandboxed writer takes pandoc's embedded ones.
local function in_data_dir(names)
  local data_dir = PANDOC_STATE.user_data_dir
  if not data_dir then return nil end
  local listed, found = pcall(pandoc.system.list_directory, data_dir)
  for _, name in ipairs(listed and found or {}) do
    if names[name] then return name end
  end
  return nil
end

-- What the DOCX writer would read here that the sandboxed run's writer could not, or nil. The
-- sandboxed writer reads an image from the media bag (where local-files.lua puts the project's
-- allowed files) or a `data:` URI, and nothing else: no file, no URL (fetchItem in pandoc 3.9's
-- Writers/Docx/OpenXML.hs, in PandocPure). Its other reads (loadArchives in Writers/Docx.hs,
-- getTranslations in Translations.hs) are pandoc's own data files.
local function docx_withheld(doc)
  local found
  doc:walk {
    traverse = 'topdown',  -- one image is enough, whichever: a top-down walk costs less
    Image = function(image)
      local src = image.src
      if not found and src:sub(1, 5) ~= 'data:' and not pandoc.mediabag.lookup(src) then
        found = src
      end
    end,
  }
  return found or in_data_dir { ['reference.docx'] = true, translations = true }
end

-- The Typst writer of pandoc 3.9 (Writers/Typst.hs) reads no image (it writes their paths) and
-- no file but its translations (setupTranslations), a data file.
local function typst_withheld()
  return in_data_dir { translations = true }
end

-- The writer options of `pandoc -t WRITER --standalone --template TEMPLATE -o OUTPUT` read from
-- standard input (optToOutputSettings in App/OutputSettings.hs: the defaults, the writer's
-- extensions, the template, and the variables it sets).
local function typst_options(spec)
  local base, changes = spec.writer:match('^([%w_]+)(.*)$')
  local extensions = pandoc.List(pandoc.format.default_extensions(base))
  for sign, name in changes:gmatch('([+-])([%w_]+)') do
    extensions = extensions:filter(function(each) return each ~= name end)
    if sign == '+' then extensions:insert(name) end
  end
  local template = read_file(spec.template)
  return pandoc.WriterOptions {
    extensions = extensions,
    template = pandoc.template.compile(template, spec.template),
    variables = {
      sourcefile = { '-' },
      outputfile = spec.output,
      curdir = pandoc.system.get_working_directory(),
    },
  }
end

local function write_file(path, bytes)
  local handle = assert(io.open(path, 'wb'))
  handle:write(bytes)
  handle:close()
end

-- The DOCX written to its output; false when it would read what the sandbox withholds.
local function write_docx(doc, spec)
  if docx_withheld(doc) then return false end
  -- The sandboxed writer's environment is PandocPure's (Class/PandocPure.hs): USER alone, its
  -- clock at 0 (a DOCX's dates); pandoc.write's is the process's, with SOURCE_DATE_EPOCH or the
  -- time, and USERNAME.
  local sandboxed = { USER = 'pandoc-user', SOURCE_DATE_EPOCH = '0' }
  write_file(spec.output, pandoc.system.with_environment(sandboxed, function()
    return pandoc.write(doc, spec.format)
  end))
  return true
end

-- The .typ written to its output, and said on the `ready` pipe.
local function write_typst(doc, spec, options)
  write_file(spec.output, pandoc.write(doc, spec.writer, options))
  if spec.ready then write_file(spec.ready, '.') end
  return true
end

-- The other format's document: its chain run on the document as read, with its metadata. The
-- document as read carries no metadata of its own (galley reads the body alone), so the format's
-- is its metadata file's. JSON is YAML: read as a Markdown front matter, its strings are read as
-- `--metadata-file` reads them.
local function other_document(doc, spec)
  local meta = pandoc.read('---\n' .. read_file(spec.metadata) .. '\n---\n', 'markdown').meta
  return chain(pandoc.Pandoc(doc.blocks, meta), spec.environment.GALLEY_FILTERS)
end

-- The other format's chain sees its own FORMAT, GALLEY_* environment and writer options, and
-- the run's state with its output file, in the filter files and in what they load with dofile
-- (which runs in the global environment).
local function as_other(spec, doc)
  local getenv, format, options, state = os.getenv, FORMAT, PANDOC_WRITER_OPTIONS, PANDOC_STATE
  os.getenv = function(name)
    local value = spec.environment[name]
    if value ~= nil then return value end
    return getenv(name)
  end
  FORMAT = spec.format
  local ok, written = pcall(function()
    if spec.format == 'typst' then
      -- Known before its chain runs: then none of it runs here.
      if typst_withheld() then return false end
      local typst = typst_options(spec)
      PANDOC_WRITER_OPTIONS = typst
      PANDOC_STATE = setmetatable({ output_file = spec.output }, {
        __index = function(_, key) return state[key] end,
      })
      return write_typst(other_document(doc, spec), spec, typst)
    end
    return write_docx(other_document(doc, spec), spec)
  end)
  os.getenv, FORMAT, PANDOC_WRITER_OPTIONS, PANDOC_STATE = getenv, format, options, state
  collectgarbage('collect')
  local status = not ok and 'failed' or written and 'ok' or 'apart'
  -- Its error without the traceback pandoc adds (twice, through pcall): galley shows the last
  -- lines of a report, where the error itself must be.
  if not ok then io.stderr:write((tostring(written):gsub('\n%s*stack traceback:.*$', '')), '\n') end
  io.stderr:write('galley-second-format-end\t', spec.format, '\t', status, '\n')
end

local function run(doc)
  local others = os.getenv('GALLEY_SECOND')
  if others and others ~= '' then
    for _, spec in ipairs(pandoc.json.decode(read_file(others), false)) do
      as_other(spec, doc)
    end
  end
  return chain(doc, os.getenv('GALLEY_FILTERS') or '')
end

return { { Pandoc = run } }
