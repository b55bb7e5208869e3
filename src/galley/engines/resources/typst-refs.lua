--[[
typst-refs.lua: Typst's own reference list where the author put `::: {#refs}`.

With Typst formatting the citations (galley.rendering.typst_citations), the template ends the document
with `#bibliography(...)`, under Typst's own heading ("Bibliography"). An author who wrote
`# References {.unnumbered}` and `::: {#refs}` (as the quarto-journals templates end) wants the
list there, under that heading: the div becomes its content and the bibliography, without a
heading of its own, and the template's ending is dropped. Pandoc's citeproc fills the div in
the same way. A document that cites nothing gets no heading over its empty list either.

Needs the metadata field `galley-typst-bibliography`: the Typst lines of the ending, ending with
the `#bibliography(...)` call.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local function untitled(bibliography)
  return bibliography:walk {
    RawBlock = function(raw)
      raw.text = raw.text:gsub('#bibliography%((.*)%)%s*$', '#bibliography(%1, title: none)')
      return raw
    end,
  }
end

local function cites(doc)
  if doc.meta.nocite then return true end
  local found = false
  doc.blocks:walk { Cite = function() found = true end }
  return found
end

function Pandoc(doc)
  local bibliography = doc.meta['galley-typst-bibliography']
  if FORMAT ~= 'typst' or not bibliography then return nil end
  local placed = false
  doc.blocks = doc.blocks:walk {
    Div = function(div)
      if div.identifier ~= 'refs' or placed then return nil end
      placed = true
      return div.content .. untitled(bibliography)
    end,
  }
  if placed then
    doc.meta['galley-typst-bibliography'] = nil
  elseif not cites(doc) then
    -- Nothing cited: the list is empty, and Typst would still print its heading over it.
    doc.meta['galley-typst-bibliography'] = untitled(bibliography)
  end
  return doc
end
