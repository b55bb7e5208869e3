--[[
source-notes.lua: show under each generated figure and table where it came from.

Reads the metadata map `galley-source-notes` (element id -> {script, inputs, notebook}) that
galley builds from the declared steps, and appends a small note (HTML only) after that figure
or table: the script's path, each data file with a short hash, and a link to the notebook.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local function note_block(note)
  local s = pandoc.utils.stringify
  local inlines = pandoc.Inlines { pandoc.Str('Source:'), pandoc.Space(), pandoc.Code(s(note.script)) }
  for _, input in ipairs(note.inputs or {}) do
    inlines:extend { pandoc.Str(';'), pandoc.Space(), pandoc.Code(s(input.path)),
      pandoc.Space(), pandoc.Span(pandoc.Str('sha256:' .. s(input.sha)), { class = 'galley-hash' }) }
  end
  if note.notebook then
    inlines:extend { pandoc.Str(';'), pandoc.Space(),
      pandoc.Link(pandoc.Str('notebook'), s(note.notebook)) }
  end
  return pandoc.Div(pandoc.Plain(inlines), { class = 'galley-source-note' })
end

local function with_note(notes, element)
  local note = notes[element.identifier]
  if note == nil or element.identifier == '' then return nil end
  return { element, note_block(note) }
end

function Pandoc(doc)
  local notes = doc.meta['galley-source-notes']
  if not notes or not FORMAT:match('html') then return nil end
  return doc:walk {
    Figure = function(figure) return with_note(notes, figure) end,
    Table = function(tbl) return with_note(notes, tbl) end,
  }
end
