--[[
crossref.lua: Quarto's cross-references for the embedded engine.

Numbers figures (`#fig-`), tables (`#tbl-`) and sections (`#sec-`) in document order, prefixes
captions ("Figure 1: ..."), and replaces `@fig-x`, `[-@fig-x]`... with linked text ("Figure 1"),
as Quarto does. Also applies `fig-alt` as the image's alt text. A reference to an undefined
label is never rendered as "??": each is reported on stderr and the render fails.

Filters for other numbered constructs (theorems, callouts, equations) run earlier and record
their targets in the metadata map `galley-xref`: label -> {kind, number, prefix}; references to
them are resolved here with the same rules.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local KINDS = {
  fig = 'Figure', tbl = 'Table', sec = 'Section', eq = 'Equation', lst = 'Listing',
  thm = 'Theorem', lem = 'Lemma', cor = 'Corollary', prp = 'Proposition', cnj = 'Conjecture',
  def = 'Definition', exm = 'Example', exr = 'Exercise', sol = 'Solution', rem = 'Remark',
  nte = 'Note', tip = 'Tip', wrn = 'Warning', imp = 'Important', cau = 'Caution',
}
local numbers = {}      -- label -> number text ("1", "2.1")
local prefixes = {}     -- label -> reference word, for targets other filters registered
local unresolved = {}   -- labels referenced but never defined, in order
local counters = { fig = 0, tbl = 0, eq = 0 }

local function kind_of(label)
  return label:match('^(%a+)%-') and KINDS[label:match('^(%a+)%-'):lower()] and label:match('^(%a+)%-'):lower()
end

local function caption_prefix(kind, number)
  return pandoc.Inlines { pandoc.Str(KINDS[kind]), pandoc.Str('\u{a0}' .. number .. ':'), pandoc.Space() }
end

local function prefix_caption(caption, kind, number)
  local long = caption.long
  if #long == 0 then
    long = pandoc.Blocks { pandoc.Plain(caption_prefix(kind, number)) }
  elseif long[1].content then
    long[1].content = caption_prefix(kind, number) .. long[1].content
  end
  caption.long = long
  return caption
end

local function apply_alt(figure)
  return figure:walk {
    Image = function(image)
      local alt = image.attributes['fig-alt']
      if alt then
        image.attributes['fig-alt'] = nil
        image.caption = pandoc.Inlines { pandoc.Str(alt) }
      end
      return image
    end,
  }
end

-- Section numbers exactly as pandoc's --number-sections gives them.
local function number_sections(blocks)
  local levels = {}
  for _, block in ipairs(blocks) do
    if block.t == 'Header' and not block.classes:includes('unnumbered') then
      levels[block.level] = (levels[block.level] or 0) + 1
      for deeper = block.level + 1, 6 do levels[deeper] = nil end
      local parts = {}
      for level = 1, block.level do parts[#parts + 1] = tostring(levels[level] or 0) end
      if block.identifier:match('^sec%-') then numbers[block.identifier] = table.concat(parts, '.') end
    end
  end
end

-- Number a figure or table whose id has the kind's prefix, and prefix its caption.
local function number_float(element, kind)
  if element.identifier:match('^' .. kind .. '%-') then
    counters[kind] = counters[kind] + 1
    numbers[element.identifier] = tostring(counters[kind])
    element.caption = prefix_caption(element.caption, kind, numbers[element.identifier])
  end
  return element
end

local function number_floats(doc)
  return doc:walk {
    traverse = 'topdown',
    Figure = function(figure) return apply_alt(number_float(figure, 'fig')) end,
    Table = function(tbl) return number_float(tbl, 'tbl') end,
  }
end

local function is_crossref(citation)
  return kind_of(citation.id) ~= nil
end

local function reference_text(citation)
  local label = citation.id
  local kind = kind_of(label)
  local key = numbers[label] and label or label:gsub('^%a', string.lower)
  local number = numbers[key]
  if not number then
    unresolved[#unresolved + 1] = label
    return pandoc.Inlines { pandoc.Strong { pandoc.Str('?@' .. label) } }
  end
  local text = pandoc.Inlines {}
  if #citation.prefix > 0 then text:extend(citation.prefix); text:insert(pandoc.Space()) end
  local word = prefixes[key] or KINDS[kind]
  if label:match('^%u') then word = word:gsub('^%l', string.upper) end
  local words = citation.mode == 'SuppressAuthor' and number or (word .. '\u{a0}' .. number)
  text:insert(pandoc.Link({ pandoc.Str(words) }, '#' .. key, '', { class = 'quarto-xref' }))
  if #citation.suffix > 0 then text:extend(citation.suffix) end
  return text
end

-- A Cite may mix cross-references and citations (pandoc reads `@fig-a [@key]` as one Cite):
-- cross-references become text, the citations stay a Cite for citeproc.
local function resolve_refs(doc)
  return doc:walk {
    Cite = function(cite)
      local out, others = pandoc.Inlines {}, {}
      local has_crossref = false
      for _, citation in ipairs(cite.citations) do
        if is_crossref(citation) then
          if has_crossref then out:insert(pandoc.Str(',')) end
          if #out > 0 then out:insert(pandoc.Space()) end
          out:extend(reference_text(citation))
          has_crossref = true
        else
          others[#others + 1] = citation
        end
      end
      if not has_crossref then return nil end
      if #others > 0 then
        for _, citation in ipairs(others) do citation.mode = 'NormalCitation' end
        out:insert(pandoc.Space())
        out:insert(pandoc.Cite(pandoc.Inlines {}, others))
      end
      return out
    end,
  }
end

-- Targets other filters numbered: label -> {kind, number, prefix}.
local function read_registered(meta)
  for label, entry in pairs(meta['galley-xref'] or {}) do
    numbers[label] = pandoc.utils.stringify(entry.number)
    if entry.prefix then prefixes[label] = pandoc.utils.stringify(entry.prefix) end
  end
end

function Pandoc(doc)
  read_registered(doc.meta)
  number_sections(doc.blocks)
  doc = number_floats(doc)
  doc = resolve_refs(doc)
  if #unresolved > 0 then
    for _, label in ipairs(unresolved) do
      io.stderr:write('galley-unresolved-crossref\t' .. label .. '\n')
    end
    error('undefined cross-reference(s): ' .. table.concat(unresolved, ', '))
  end
  return doc
end
