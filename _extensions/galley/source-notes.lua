--[[
source-notes.lua for Quarto: runs galley's own filter of that name (src/galley/engines/resources/),
the file the embedded engine runs, so that both engines share one implementation.

Loaded into this chunk's environment (_ENV): Quarto collects a filter's functions from the
environment it gave the file, which a plain dofile would bypass.
]]
local here = pandoc.path.directory(PANDOC_SCRIPT_FILE)
local shared = pandoc.path.join { here, '..', '..', 'src', 'galley', 'engines', 'resources', 'source-notes.lua' }
assert(loadfile(shared, 't', _ENV))()
