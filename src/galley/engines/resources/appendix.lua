--[[
appendix.lua: a section whose heading has the class `appendix` moves, in HTML, to the end of the
page into Quarto's appendix container `div#quarto-appendix` (made here if the page has none yet,
else the one galley writes for `license:` and `citation:`), ahead of what it already holds; its
heading gets Quarto's class `quarto-appendix-heading`. Other formats keep the section in place.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local function is_html()
  return FORMAT == 'html' or FORMAT == 'html4' or FORMAT == 'html5'
end

-- The top-level blocks split into the body and the appendix sections (headings included).
local function split(blocks)
  local body, moved = pandoc.Blocks {}, pandoc.Blocks {}
  local level = nil -- the heading level of the appendix section being moved, if any
  for _, block in ipairs(blocks) do
    if block.t == 'Header' and level and block.level <= level then
      level = nil
    end
    if block.t == 'Header' and block.classes:includes('appendix') then
      level = block.level
      block.classes:insert('quarto-appendix-heading')
    end
    if level then moved:insert(block) else body:insert(block) end
  end
  return body, moved
end

function Pandoc(doc)
  if not is_html() then return nil end
  local body, moved = split(doc.blocks)
  if #moved == 0 then return nil end
  for _, block in ipairs(body) do
    if block.t == 'Div' and block.identifier == 'quarto-appendix' then
      block.content = moved .. block.content
      doc.blocks = body
      return doc
    end
  end
  body:insert(pandoc.Div(moved, pandoc.Attr('quarto-appendix', { 'default' })))
  doc.blocks = body
  return doc
end
