--[[
typst-running-head.lua: the PDF's running head, as Typst strings for the template's
`galley-running-head`: the title journals print there and the authors.

The title is `short-title` (Quarto's key; `shorttitle`, the LaTeX and APA templates' key, too),
else the title, as plain text: the template cuts it at a word when it does not fit beside the
authors. The authors are as journals name them in a running head: "Doe", "Doe & Roe", or
"Doe et al." for three or more. An anonymous edition has no authors, and none here.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local function typst_string(text)
  local folded = text:gsub('%s+', ' '):gsub('^ ', ''):gsub(' $', '')
  return pandoc.RawInline('typst', '"' .. folded:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"')
end

local function authors(list)
  local surnames = {}
  for _, author in ipairs(list or {}) do
    surnames[#surnames + 1] = pandoc.utils.stringify(author.surname or '')
  end
  if #surnames == 0 then return nil end
  if #surnames == 1 then return surnames[1] end
  if #surnames == 2 then return surnames[1] .. ' & ' .. surnames[2] end
  return surnames[1] .. ' et al.'
end

function Meta(meta)
  if FORMAT ~= 'typst' then return nil end
  local title = meta['short-title'] or meta.shorttitle or meta.title
  if title then meta['galley-running-head'] = typst_string(pandoc.utils.stringify(title)) end
  local names = authors(meta['galley-authors'])
  if names then meta['galley-running-authors'] = typst_string(names) end
  return meta
end
