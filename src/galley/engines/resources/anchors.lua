--[[
anchors.lua: links to a `#anchor` that no element of the document has.

Quarto leaves such a link as written: in HTML and Word it goes nowhere, and Typst refuses the
whole PDF ("label `<x>` does not exist in the document"). Each is reported on stderr as
`galley-missing-anchor<TAB>x`, for galley to warn with file and line; in Typst the link becomes its
text, so that the PDF is written too. It runs last, once every filter has made its elements
(numbered floats, the bibliography's `ref-…` entries).

An anchor is an element's identifier, or an `id="…"` in raw HTML; in Typst only the elements
pandoc's Typst writer gives a label (headings, divs, spans, figures, tables) and the `<label>`s of
raw Typst count, as only they are targets there.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local TYPST_LABELLED = {
  Header = true, Div = true, Span = true, Figure = true, Table = true,
}

local function anchors(doc)
  local found = {}
  local typst = FORMAT == 'typst'
  local function add(el)
    if el.identifier and el.identifier ~= '' and (not typst or TYPST_LABELLED[el.t]) then
      found[el.identifier] = true
    end
  end
  local function raw(el)
    if el.format == 'html' and not typst then
      for id in el.text:gmatch('%sid%s*=%s*["\']([^"\']+)["\']') do found[id] = true end
    elseif el.format == 'typst' and typst then
      for label in el.text:gmatch('<([%w_%-%.:]+)>') do found[label] = true end
    end
  end
  doc:walk {
    Block = add, Inline = add, RawBlock = raw, RawInline = raw,
  }
  return found
end

function Pandoc(doc)
  local found = anchors(doc)
  local reported = {}
  doc.blocks = doc.blocks:walk {
    Link = function(link)
      local id = link.target:match('^#(.+)$')
      if not id or found[id] then return nil end
      if not reported[id] then
        io.stderr:write('galley-missing-anchor\t' .. id .. '\n')
        reported[id] = true
      end
      if FORMAT == 'typst' then return link.content end
    end,
  }
  return doc
end
