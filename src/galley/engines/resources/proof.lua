--[[
proof.lua: Quarto's proofs, remarks and solutions for the embedded engine.

`::: {.proof}`, `::: {.remark}` and `::: {.solution}` are unnumbered; a remark or solution with a
`#rem-x` / `#sol-x` id is numbered per kind ("Remark 1") and recorded in the metadata map
`galley-xref` for crossref.lua, which runs after this filter. The name is the `name="..."`
attribute or a leading heading (then removed).

As Quarto writes them: `div.proof` (plus `.remark` / `.solution`) whose first paragraph opens with
`<span class="proof-title"><em>Proof</em> (Name). </span>`. The PDF ends a proof with a
tombstone, as Quarto's PDF (LaTeX's amsthm) does; Quarto's HTML and DOCX have none.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local xref_targets = dofile(pandoc.path.join { pandoc.path.directory(PANDOC_SCRIPT_FILE), 'xref-targets.lua' })
local construct_title = dofile(pandoc.path.join { pandoc.path.directory(PANDOC_SCRIPT_FILE), 'construct-title.lua' })

local TYPES = { proof = 'Proof', remark = 'Remark', solution = 'Solution' }
local REF_TYPES = { rem = 'remark', sol = 'solution' }
local titles = {}  -- the word for each type from `language:` (`environment-proof-title`…)

local function title(kind) return titles[kind] or TYPES[kind] end

local counters = {}
local registered = {}

local function ref_of(div)
  local ref = div.identifier:match('^(%a+)%-')
  return ref and REF_TYPES[ref] and ref
end

local function type_of(div)
  local ref = ref_of(div)
  if ref then return REF_TYPES[ref] end
  for _, class in ipairs(div.classes) do
    if TYPES[class] then return class end
  end
  return nil
end

local function title_span(kind, number, name)
  local word = pandoc.Inlines { pandoc.Str(title(kind)) }
  if number then word:extend { pandoc.Space(), pandoc.Str(number) } end
  local span = pandoc.Span({ pandoc.Emph(word) }, { class = 'proof-title' })
  if #name > 0 then
    span.content:insert(pandoc.Str(' ('))
    span.content:extend(name)
    span.content:insert(pandoc.Str(')'))
  end
  span.content:insert(pandoc.Str('. '))
  return span
end

-- The tombstone closes the last paragraph, flush right (a paragraph of its own otherwise).
local function add_tombstone(div)
  local mark = pandoc.RawInline('typst', '#h(1fr)#sym.square.stroked')
  local last = div.content[#div.content]
  if last and last.t == 'Para' then
    last.content:insert(mark)
  else
    div.content:insert(pandoc.Para { mark })
  end
end

local function render(div)
  local kind = type_of(div)
  local entry = registered[div.identifier]
  local span = title_span(kind, entry and entry.number, construct_title.take(div, 'name'))
  local first = div.content[1]
  if first and first.t == 'Para' and #first.content > 0 then
    first.content:insert(1, span)
  else
    div.content:insert(1, pandoc.Para { span })
  end
  for _, class in ipairs { 'proof', kind } do
    if not div.classes:includes(class) then div.classes:insert(class) end
  end
  if kind == 'proof' and FORMAT == 'typst' then add_tombstone(div) end
  return div
end


-- Rendered without numbers, in a walk that also tells whether any was to be numbered (nil then).
local function render_unnumbered(doc)
  local numbered = false
  local rendered = doc:walk {
    Div = function(div)
      if ref_of(div) then numbered = true end
      if type_of(div) and not numbered then return render(div) end
    end,
  }
  return not numbered and rendered or nil
end

-- Numbered in document order (outer before inner), then rendered. That order needs a walk
-- into every paragraph (a note may hold a remark), three times the cost of the walk that
-- renders, so it is taken only for a document with a numbered remark or solution.
function Pandoc(doc)
  if pandoc.utils.type(doc.meta.language) == 'table' then
    for kind in pairs(TYPES) do
      local word = doc.meta.language['environment-' .. kind .. '-title']
      if word then titles[kind] = pandoc.utils.stringify(word) end
    end
  end
  local rendered = render_unnumbered(doc)
  if rendered then return rendered end
  doc:walk {
    traverse = 'topdown',
    Div = function(div)
      local ref = ref_of(div)
      if not ref then return nil end
      counters[ref] = (counters[ref] or 0) + 1
      registered[div.identifier] = {
        kind = ref, number = tostring(counters[ref]), prefix = title(REF_TYPES[ref]),
      }
    end,
  }
  xref_targets.record(doc.meta, registered)
  return doc:walk {
    Div = function(div)
      if type_of(div) then return render(div) end
    end,
  }
end
