--[[
anchors.lua: links to a `#anchor` that no element of the document has.

Quarto leaves such a link as written: in HTML and Word it goes nowhere, and Typst refuses the
whole PDF ("label `<x>` does not exist in the document"). Each is reported on stderr as
`galley-missing-anchor<TAB>x`, for galley to warn with file and line; in Typst the link becomes its
text, so that the PDF is written too. It runs last, once every filter has made its elements
(numbered floats, the bibliography's `ref-…` entries).

An anchor is an element's identifier, an `id="…"` in raw HTML or a `<label>` in raw Typst. In
Typst a link can only reach the elements pandoc's Typst writer gives a label (headings, divs,
spans, figures, tables) and raw Typst's labels: a link to any other anchor becomes its text there,
without a warning (it works in HTML).
]]
PANDOC_VERSION:must_be_at_least '3.1'

local TYPST_LABELLED = {
  Header = true, Div = true, Span = true, Figure = true, Table = true,
}

-- Every anchor of the document, and those a Typst link can reach.
local function anchors(doc)
  local all, typst = {}, {}
  local function add(el)
    if el.identifier and el.identifier ~= '' then
      all[el.identifier] = true
      if TYPST_LABELLED[el.t] then typst[el.identifier] = true end
    end
  end
  local function raw(el)
    if el.format == 'html' then
      for id in el.text:gmatch('%sid%s*=%s*["\']([^"\']+)["\']') do all[id] = true end
    elseif el.format == 'typst' then
      for label in el.text:gmatch('<([%w_%-%.:]+)>') do all[label] = true; typst[label] = true end
    end
  end
  doc:walk { Block = add, Inline = add, RawBlock = raw, RawInline = raw }
  return all, typst
end

function Pandoc(doc)
  local all, typst = anchors(doc)
  local reported = {}
  doc.blocks = doc.blocks:walk {
    Link = function(link)
      local id = link.target:match('^#(.+)$')
      if not id then return nil end
      if not all[id] and not reported[id] then
        io.stderr:write('galley-missing-anchor\t' .. id .. '\n')
        reported[id] = true
      end
      -- A code block's id, say, is an anchor in HTML but no label in Typst.
      if FORMAT == 'typst' and not typst[id] then return link.content end
    end,
  }
  return doc
end
