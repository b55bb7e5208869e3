--[[
construct-title.lua: the title a callout, theorem or proof is given, read as Quarto reads it.

Loaded with dofile by callout.lua, theorem.lua and proof.lua. Not a filter itself.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local M = {}

-- The attribute `key` (`title`, `name`) read as markdown, as Quarto does, with raw HTML in it
-- kept as visible text; else a leading heading, which is then removed. The attribute is taken
-- off the div, so it never becomes an HTML tooltip.
function M.take(div, key)
  local attribute = div.attributes[key]
  div.attributes[key] = nil
  if attribute and attribute ~= '' then
    local inlines = pandoc.utils.blocks_to_inlines(pandoc.read(attribute, 'markdown').blocks)
    return inlines:walk { RawInline = function(raw) return pandoc.Str(raw.text) end }
  end
  local first = div.content[1]
  if first and first.t == 'Header' then
    div.content:remove(1)
    return first.content
  end
  return pandoc.Inlines {}
end

return M
