-- The keys of every citation pandoc reads, in order, for each of several Markdown texts.
-- Input (stdin): a JSON list of texts. Output (stdout): a JSON list, one list of keys per text.
-- One pandoc process reads them all, each on its own (a notebook cell is not the article).
PANDOC_VERSION:must_be_at_least("3.1.1") -- pandoc.json

local texts = pandoc.json.decode(io.read("a"), false)
local found = {}
for index, text in ipairs(texts) do
  local keys = {}
  pandoc.read(text, "markdown"):walk({
    Cite = function(cite)
      for _, citation in ipairs(cite.citations) do
        keys[#keys + 1] = citation.id
      end
    end,
  })
  found[index] = keys
end
io.write(pandoc.json.encode(found))
