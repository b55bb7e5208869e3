--[[
theorem.lua: Quarto's theorems for the embedded engine.

A div whose id has a theorem kind (`::: {#thm-x}`, also lem cor prp cnj def exm exr) is numbered
per kind in document order; its name is the `name="..."` attribute or a leading heading (which is
then removed). The number is recorded in the metadata map `galley-xref` for crossref.lua, which
runs after this filter and resolves `@thm-x` to "Theorem 1".

Per format, as Quarto writes it: HTML and DOCX `div#thm-x.theorem` whose first paragraph opens
with `<span class="theorem-title"><strong>Theorem 1 (Name)</strong></span>`; Typst a call of the
template's `#theorem(title: [Name])[...] <thm-x>`, which Typst numbers and can link to.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local xref_targets = dofile(pandoc.path.join { pandoc.path.directory(PANDOC_SCRIPT_FILE), 'xref-targets.lua' })
local construct_title = dofile(pandoc.path.join { pandoc.path.directory(PANDOC_SCRIPT_FILE), 'construct-title.lua' })

-- ref kind -> the Typst function (Quarto's LaTeX environment) and the displayed title.
local KINDS = {
  thm = { env = 'theorem', title = 'Theorem' },
  lem = { env = 'lemma', title = 'Lemma' },
  cor = { env = 'corollary', title = 'Corollary' },
  prp = { env = 'proposition', title = 'Proposition' },
  cnj = { env = 'conjecture', title = 'Conjecture' },
  def = { env = 'definition', title = 'Definition' },
  exm = { env = 'example', title = 'Example' },
  exr = { env = 'exercise', title = 'Exercise' },
}

local counters = {}
local registered = {}
local names = {}   -- kind -> {title, prefix}: Quarto's defaults or the document's own words

-- A setting from `crossref: {thm-title: ...}` or `language: {crossref-thm-title: ...}`.
local function setting(meta, kind, suffix)
  for _, place in ipairs { { meta.crossref, kind .. '-' .. suffix }, { meta.language, 'crossref-' .. kind .. '-' .. suffix } } do
    local map, key = place[1], place[2]
    if pandoc.utils.type(map) == 'table' and map[key] ~= nil then return pandoc.utils.stringify(map[key]) end
  end
  return nil
end

local function read_names(meta)
  for kind, info in pairs(KINDS) do
    names[kind] = {
      title = setting(meta, kind, 'title') or info.title,
      prefix = setting(meta, kind, 'prefix') or info.title,
    }
  end
end

local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('%s', ' ') .. '"'
end

-- The kinds in the order the template defines them: the renames come in this order, whatever
-- order `pairs` would give (Lua's differs from one run to the next).
local ORDER = { 'thm', 'lem', 'cor', 'prp', 'cnj', 'def', 'exm', 'exr' }

-- In Typst the title is the kind's figure supplement: a renamed kind redefines its function.
local function typst_renames()
  local blocks = pandoc.Blocks {}
  for _, kind in ipairs(ORDER) do
    local info = KINDS[kind]
    if names[kind].title ~= info.title then
      blocks:insert(pandoc.RawBlock('typst', '#let ' .. info.env .. ' = galley-theorem("' .. info.env
        .. '", ' .. typst_string(names[kind].title) .. ')'))
    end
  end
  return blocks
end

local function kind_of(div)
  local ref = div.identifier:match('^(%a+)%-')
  return ref and KINDS[ref] and ref
end

-- "Theorem 1 (Name)", in a span that opens the first paragraph (a new one if it is not one).
local function render_titled(div, kind, number, name)
  local title = pandoc.Inlines { pandoc.Str(names[kind].title), pandoc.Space(), pandoc.Str(number) }
  if #name > 0 then
    title:insert(pandoc.Space())
    title:insert(pandoc.Str('('))
    title:extend(name)
    title:insert(pandoc.Str(')'))
  end
  local span = pandoc.Span({ pandoc.Strong(title) }, { class = 'theorem-title' })
  if not (div.content[1] and div.content[1].t == 'Para') then
    div.content:insert(1, pandoc.Para { pandoc.Str('\u{a0}') })
  end
  div.content[1].content = pandoc.Inlines { span, pandoc.Space() } .. div.content[1].content
  div.classes:insert('theorem')
  if KINDS[kind].env ~= 'theorem' then div.classes:insert(KINDS[kind].env) end
  return div
end

local function render_typst(div, kind, name)
  local open = pandoc.Inlines { pandoc.RawInline('typst', '#' .. KINDS[kind].env .. '(') }
  if #name > 0 then
    open:insert(pandoc.RawInline('typst', 'title: ['))
    open:extend(name)
    open:insert(pandoc.RawInline('typst', ']'))
  end
  open:insert(pandoc.RawInline('typst', ')['))
  local blocks = pandoc.Blocks { pandoc.Plain(open) }
  blocks:extend(div.content)
  blocks:insert(pandoc.RawBlock('typst', '] <' .. div.identifier .. '>'))
  return blocks
end

local function render(div)
  local kind = kind_of(div)
  local name = construct_title.take(div, 'name')
  local number = registered[div.identifier].number
  if FORMAT == 'typst' then return render_typst(div, kind, name) end
  return render_titled(div, kind, number, name)
end

local function has_theorem(doc)
  local found = false
  doc:walk { Div = function(div) if kind_of(div) then found = true end end }
  return found
end

-- Numbered in document order (outer before inner), then rendered. That order needs a walk
-- into every paragraph (a note may hold a theorem), three times the cost of a walk that finds
-- whether there is a theorem at all, which most documents have not.
function Pandoc(doc)
  read_names(doc.meta)
  if not has_theorem(doc) then
    if FORMAT == 'typst' then doc.blocks = typst_renames() .. doc.blocks end
    return doc
  end
  doc:walk {
    traverse = 'topdown',
    Div = function(div)
      local kind = kind_of(div)
      if not kind then return nil end
      counters[kind] = (counters[kind] or 0) + 1
      registered[div.identifier] = { kind = kind, number = tostring(counters[kind]), prefix = names[kind].prefix }
    end,
  }
  xref_targets.record(doc.meta, registered, true)
  doc = doc:walk {
    Div = function(div)
      if kind_of(div) then return render(div) end
    end,
  }
  if FORMAT == 'typst' then doc.blocks = typst_renames() .. doc.blocks end
  return doc
end
