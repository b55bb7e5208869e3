--[[
typst-headings.lua: the PDF's heading levels as its outline nests them.

A tagged PDF (PDF/UA-1) starts its headings at level 1 and never skips a level on the way down;
Typst refuses it otherwise ("the first heading must be of level 1", "skipped from heading level
1 to 3"). Authors start at `##` and end with `# References`, or go from `#` to `###`, and Quarto
renders both. Each heading's level here is its depth among the headings before it: one more than
the nearest earlier heading of a lower level as written, 1 if none. A document written without
gaps keeps its levels; crossref.lua has already numbered the headings as Quarto does, so the
numbers shown do not change.
]]
PANDOC_VERSION:must_be_at_least '3.1'

function Pandoc(doc)
  if FORMAT ~= 'typst' then return nil end
  local open = {} -- the enclosing headings: {written = level as written, depth = level given}
  return doc:walk {
    Header = function(header)
      while #open > 0 and open[#open].written >= header.level do
        open[#open] = nil
      end
      local depth = #open > 0 and open[#open].depth + 1 or 1
      open[#open + 1] = { written = header.level, depth = depth }
      if depth == header.level then return nil end
      header.level = depth
      return header
    end,
  }
end
