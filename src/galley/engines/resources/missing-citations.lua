--[[
missing-citations.lua: a citation of a key the bibliography lacks, when Typst formats the
citations (the PDF's default, `citeproc: false`).

pandoc's citeproc renders such a key as a bold `key?` and warns; Typst would refuse the whole PDF
("label `<key>` does not exist in the document"). So here, as citeproc does, the citation of an
unknown key becomes a bold `key?` (its prefix and locator dropped, as citeproc drops them) and the
citations of known keys stay for Typst. Each unknown key is reported on stderr as
`galley-missing-citation<TAB>key`, for galley to warn with file and line.
]]
PANDOC_VERSION:must_be_at_least '3.1'

function Pandoc(doc)
  local known = {}
  for _, reference in ipairs(pandoc.utils.references(doc)) do known[reference.id] = true end
  local reported = {}
  -- The whole document: a citation in the metadata (the abstract) is Typst's to format too.
  return doc:walk {
    Cite = function(cite)
      local kept, markers = pandoc.List(), pandoc.Inlines {}
      for _, citation in ipairs(cite.citations) do
        if known[citation.id] then
          kept:insert(citation)
        else
          if not reported[citation.id] then
            io.stderr:write('galley-missing-citation\t' .. citation.id .. '\n')
            reported[citation.id] = true
          end
          if #markers > 0 then markers:insert(pandoc.Str(';')); markers:insert(pandoc.Space()) end
          markers:insert(pandoc.Strong { pandoc.Str(citation.id .. '?') })
        end
      end
      if #markers == 0 then return nil end
      if #kept == 0 then return markers end
      cite.citations = kept
      return pandoc.Inlines { cite, pandoc.Space() } .. markers
    end,
  }
end
