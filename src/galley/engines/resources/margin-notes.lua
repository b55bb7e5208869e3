--[[
margin-notes.lua: `reference-location: margin` in HTML, as Quarto writes it: each footnote
becomes a numbered note in a `div.column-margin` placed right after the top-level block that
refers to it (after a whole callout or block quote, not inside it), instead of a list at the end.

Needs the metadata field `galley-reference-location` (Quarto's `reference-location`), which galley
writes for a location other than the default, `document`.
Other formats, and other locations, keep pandoc's footnotes.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local function is_html()
  return FORMAT == 'html' or FORMAT == 'html4' or FORMAT == 'html5'
end

-- The note's text, led by its number, as the margin shows it.
local function margin_note(note, number)
  local content = pandoc.Blocks(note.content)
  local mark = pandoc.Superscript { pandoc.Str(number) }
  if #content > 0 and (content[1].t == 'Para' or content[1].t == 'Plain') then
    content[1].content:insert(1, pandoc.Space())
    content[1].content:insert(1, mark)
  else
    content:insert(1, pandoc.Plain { mark })
  end
  return pandoc.Div(content, pandoc.Attr('fn' .. number))
end

local function reference(number)
  return pandoc.Superscript {
    pandoc.Link(number, '#fn' .. number, '',
      pandoc.Attr('fnref' .. number, { 'footnote-ref' }, { role = 'doc-noteref' })),
  }
end

function Pandoc(doc)
  -- galley writes the field only for another location than its default, the document's end:
  -- without it the document is left as it came (0.7 ms a run, with the metadata set back).
  local value = doc.meta['galley-reference-location']
  if value == nil then return nil end
  local location = pandoc.utils.stringify(value)
  doc.meta['galley-reference-location'] = nil
  if not is_html() or location ~= 'margin' then return doc end
  local count = 0
  local blocks = pandoc.Blocks {}
  for _, block in ipairs(doc.blocks) do
    local notes = pandoc.Blocks {}
    blocks:insert(block:walk {
      Note = function(note)
        count = count + 1
        notes:insert(margin_note(note, tostring(count)))
        return reference(tostring(count))
      end,
    })
    if #notes > 0 then
      blocks:insert(pandoc.Div(notes, pandoc.Attr('', { 'no-row-height', 'column-margin', 'column-container' })))
    end
  end
  doc.blocks = blocks
  return doc
end
