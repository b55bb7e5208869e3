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

local function run(doc)
  for path in (os.getenv('GALLEY_FILTERS') or ''):gmatch('[^\n]+') do
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

return { { Pandoc = run } }
