--[[
source-notes.lua: show under each generated figure and table where it came from.

Reads the metadata map `galley-source-notes` (element id -> {script, script-href, inputs,
package, notebook}) that galley builds from the declared steps, and appends a small note (HTML only)
after that figure or table: the script's path, each data file with a short hash, and a link to
the notebook. A path with an `href` (galley copies the step's files beside the article) links
to that copy, so the reader is one click from the data.

Inside Quarto this runs at `pre-ast`, where a pipe table's `{#tbl-x}` is still text at the end
of its caption: Quarto reads Markdown without pandoc's `table_attributes`
(src/resources/pandoc/datadir/readqmd.lua) and lifts the id later (`parseTableCaption`,
src/resources/filters/common/tables.lua). So a table without an id is known by that text.
The notebook link is marked `data-noresolveinput` there, as Quarto marks its own notebook
links: Quarto then leaves it as written instead of resolving it as a link to a document of the
project, which warned "Unable to resolve link target" (resolveProjectInputLinks in
src/project/types/website/website-utils.ts).
]]
PANDOC_VERSION:must_be_at_least '3.1'

local s = pandoc.utils.stringify

-- The path as code, linked to the file's copy when the note gives one.
local function path_inline(path, href)
  local code = pandoc.Code(s(path))
  if href == nil then return code end
  return pandoc.Link(code, s(href))
end

local function note_block(note)
  local inlines = pandoc.Inlines { pandoc.Str('Source:'), pandoc.Space(),
    path_inline(note.script, note['script-href']) }
  for _, input in ipairs(note.inputs or {}) do
    inlines:extend { pandoc.Str(';'), pandoc.Space(), path_inline(input.path, input.href),
      pandoc.Space(), pandoc.Span(pandoc.Str('sha256:' .. s(input.sha)), { class = 'galley-hash' }) }
  end
  if note.package then
    inlines:extend { pandoc.Str(';'), pandoc.Space(), pandoc.Str('described'), pandoc.Space(),
      pandoc.Str('in'), pandoc.Space(), path_inline(note.package.path, note.package.href) }
  end
  if note.notebook then
    local attributes = quarto ~= nil and { ['data-noresolveinput'] = 'true' } or {}
    inlines:extend { pandoc.Str(';'), pandoc.Space(),
      pandoc.Link(pandoc.Str('notebook'), s(note.notebook), '', pandoc.Attr('', {}, attributes)) }
  end
  return pandoc.Div(pandoc.Plain(inlines), { class = 'galley-source-note' })
end

-- The `{#tbl-x ...}` ending a table's caption, where pandoc left it as text.
local function caption_id(tbl)
  local last = tbl.caption.long[#tbl.caption.long]
  if last == nil then return nil end
  return pandoc.utils.stringify(last):match('{#([^%s}]+)[^{}]*}%s*$')
end

local function with_note(notes, element, id)
  if id == nil or id == '' or notes[id] == nil then return nil end
  return { element, note_block(notes[id]) }
end

function Pandoc(doc)
  local notes = doc.meta['galley-source-notes']
  if not notes or not FORMAT:match('html') then return nil end
  return doc:walk {
    Figure = function(figure) return with_note(notes, figure, figure.identifier) end,
    Table = function(tbl)
      local id = tbl.identifier ~= '' and tbl.identifier or caption_id(tbl)
      return with_note(notes, tbl, id)
    end,
  }
end
