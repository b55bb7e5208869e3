--[[
crossref.lua: Quarto's cross-reference numbering and resolution for the embedded engine.

Numbers sections (`#sec-`) and the float Figures floats.lua made (`fig-`, `tbl-`, `lst-`) in
document order; a float inside a float is its sub-float, "(a)", referenced as "Figure 1 (a)".
Each float caption gets its prefix ("Figure 1: ") in a span of class `galley-float-prefix`,
which floats-render.lua reuses or drops per format. `@fig-x`, `[-@fig-x]` and `@Fig-x` become
linked text ("Figure 1", "1"; in Typst a `#ref`), as Quarto does. A reference to an undefined
label renders as Quarto renders it, a bold `?@fig-x` (never a silent "??"), and each is reported
on stderr as `galley-unresolved-crossref<TAB>label`, for galley to warn with file and line.

Filters for other numbered constructs (theorems, callouts, equations) run earlier and record
their targets in the metadata map `galley-xref`: label -> {kind, number, prefix}; references to
them are resolved here with the same rules. An entry with `typst-figure: true` is a numbered Typst
figure (theorems, numbered callouts), referenced in Typst with `#ref` as floats are. Options come from the `crossref:` metadata.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local KINDS = {
  fig = 'Figure', tbl = 'Table', sec = 'Section', eq = 'Equation', lst = 'Listing',
  thm = 'Theorem', lem = 'Lemma', cor = 'Corollary', prp = 'Proposition', cnj = 'Conjecture',
  def = 'Definition', exm = 'Example', exr = 'Exercise', sol = 'Solution', rem = 'Remark',
  nte = 'Note', tip = 'Tip', wrn = 'Warning', imp = 'Important', cau = 'Caution',
}
local FLOATS = { fig = true, tbl = true, lst = true }
local targets = {}      -- label -> {kind, number, prefix, parent, sub}
local unresolved = {}   -- labels referenced but never defined, in order
local options = {}      -- the `crossref:` map, as strings and booleans
local top_level = 1     -- the level of the document's top headings, once numbered
local first_offset = 0  -- `number-offset` of the top level: chapter numbers start after it

local s = pandoc.utils.stringify

local function option(name, default)
  local value = options[name]
  if value == nil then return default end
  if type(value) == 'boolean' then return value end
  return s(value)
end

local function kind_of(label)
  local kind = label:match('^(%a+)%-')
  return kind and KINDS[kind:lower()] and kind:lower() or nil
end

-- A non-breaking space, written as the entity Quarto writes in HTML.
local function nbsp()
  return FORMAT:match('html') and pandoc.RawInline('html', '&nbsp;') or pandoc.Str('\u{a0}')
end

local function roman(n, upper)
  local numerals = { { 1000, 'm' }, { 900, 'cm' }, { 500, 'd' }, { 400, 'cd' }, { 100, 'c' },
    { 90, 'xc' }, { 50, 'l' }, { 40, 'xl' }, { 10, 'x' }, { 9, 'ix' }, { 5, 'v' }, { 4, 'iv' },
    { 1, 'i' } }
  local out = ''
  for _, pair in ipairs(numerals) do
    while n >= pair[1] do out, n = out .. pair[2], n - pair[1] end
  end
  return upper and out:upper() or out
end

-- Quarto's label styles: `arabic`, `alpha a` (starting at the letter given), `roman`, `roman i/I`.
local function label(n, style)
  if style:match('^alpha') then
    local start = style:match('^alpha%s+(%S)') or 'a'
    return utf8.char(utf8.codepoint(start) + n - 1)
  elseif style:match('^roman') then
    return roman(n, style:match('^roman%s+I') ~= nil)
  end
  return tostring(n)
end

local function labels_for(kind)
  return option(kind .. '-labels', option('labels', 'arabic'))
end

-- Section numbers, written into the headings of every format so that headings and references
-- agree. When the document's top heading is `##`, numbering starts there ("1", not "0.1"), as
-- Quarto does (and Typst gets the headings one level up); `number-offset` and `number-depth`
-- apply as in Quarto. Returns whether a heading or a figure holds another (a heading through a
-- note: only then does numbering need its walk top-down, `number_floats`), and the function that
-- numbers each heading in turn, in document order: it changes the heading and returns it (nil for
-- an unnumbered one).
local function section_numbering(doc)
  local top = 6
  local nested = false
  local function found() nested = true end
  local function check(inner)
    if not nested then inner:walk { Header = found, Figure = found } end
  end
  doc:walk {
    Header = function(h)
      top = math.min(top, h.level)
      check(h.content)
    end,
    Figure = function(figure) check(figure.content) end,
  }
  local offset = doc.meta['number-offset'] or {}
  if type(offset) ~= 'table' or offset.t then offset = { offset } end
  local depth = tonumber(s(doc.meta['number-depth'] or '')) or 6
  local show = doc.meta['number-sections'] == true
  first_offset = tonumber(s(offset[1] or '0')) or 0
  local levels = {}
  return nested, function(header)
    if header.classes:includes('unnumbered') then return nil end
    local level = header.level - top + 1
    levels[level] = (levels[level] or tonumber(s(offset[level] or '0'))) + 1
    for deeper = level + 1, 6 do levels[deeper] = nil end
    local parts = {}
    for l = 1, level do parts[#parts + 1] = tostring(levels[l] or tonumber(s(offset[l] or '0'))) end
    local number = table.concat(parts, '.')
    if header.identifier:match('^sec%-') then
      targets[header.identifier] = { kind = 'sec', number = number, chapter = levels[1] }
    end
    if FORMAT == 'typst' then header.level = level end
    top_level = FORMAT == 'typst' and 1 or top
    if show and level <= depth then
      local mark = FORMAT:match('html') and pandoc.Span(number, { class = 'header-section-number' })
        or pandoc.Str(number)
      header.content = pandoc.Inlines { mark, pandoc.Space() } .. header.content
    end
    return header
  end
end

local function float_title(kind)
  return option(kind .. '-title', KINDS[kind])
end

local function caption_prefix(kind, target, captioned)
  if target.parent then
    return pandoc.Inlines { pandoc.Str('(' .. target.sub .. ')') }
  end
  -- An uncaptioned float shows "Figure 1" alone, as in Quarto.
  local delim = captioned and option('title-delim', ':') or ''
  return pandoc.Inlines { pandoc.Str(float_title(kind)), nbsp(), pandoc.Str(target.number .. delim) }
end

local function prefix_caption(figure, kind, target)
  local long = figure.caption.long
  local captioned = #pandoc.utils.stringify(long) > 0
  local prefix = pandoc.Span(caption_prefix(kind, target, captioned), { class = 'galley-float-prefix' })
  local words = #long > 0 and long[1].content
  if words then
    long[1].content = pandoc.Inlines { prefix } .. (#words > 0 and { pandoc.Space() } or {}) .. words
  else
    long:insert(1, pandoc.Plain { prefix })
  end
  figure.caption = { long = long, short = figure.caption.short }
end

local function number_subfloats(parent, parent_target)
  local count = 0
  parent.content = parent.content:walk {
    Figure = function(figure)
      local kind = kind_of(figure.identifier)
      if not (kind and FLOATS[kind]) then return nil end
      count = count + 1
      local sub = label(count, option('subref-labels', 'alpha a'))
      targets[figure.identifier] = { kind = kind, number = parent_target.number, parent = parent.identifier, sub = sub }
      figure.attributes['galley-subfloat'] = sub
      parent.attributes['galley-has-subfloats'] = 'true'
      prefix_caption(figure, kind, targets[figure.identifier])
      return figure
    end,
  }
end

-- Floats, in document order, with `chapters: true` as "2.1" (the top section's number first);
-- sections too, in the same walk (`number_section`). The walk goes top-down (three times the
-- cost) only when a heading or figure holds another (`nested`): else headings and figures come
-- to a bottom-up walk in the same order, and none holds one the walk should not enter.
local function number_floats(doc, nested, number_section)
  local counters, chapter = {}, nil
  return doc:walk {
    traverse = nested and 'topdown' or 'typewise',
    Header = function(header)
      local numbered = number_section(header)
      if header.level == top_level and not header.classes:includes('unnumbered') then
        chapter = (chapter or first_offset) + 1
        if option('chapters', false) == true then counters = {} end
      end
      return numbered
    end,
    Figure = function(figure)
      local kind = kind_of(figure.identifier)
      if not (kind and FLOATS[kind]) then return nil end
      -- The walk goes no further into a float: the headings in it are numbered here.
      figure = pandoc.Blocks { figure }:walk { Header = number_section }[1]
      counters[kind] = (counters[kind] or 0) + 1
      local number = label(counters[kind], labels_for(kind))
      if option('chapters', false) == true and chapter then number = chapter .. '.' .. number end
      targets[figure.identifier] = { kind = kind, number = number }
      figure.attributes['galley-number'] = number
      -- Sub-floats only where a figure holds a figure (`nested`): else the walk for them would
      -- find none (0.6 ms of the article's run).
      if nested then number_subfloats(figure, targets[figure.identifier]) end
      prefix_caption(figure, kind, targets[figure.identifier])
      return figure, false
    end,
  }
end

local function reference_word(target, label_text)
  local word = target.prefix or option(target.kind .. '-prefix', KINDS[target.kind])
  if label_text:match('^%u') then word = word:gsub('^%l', string.upper) end
  return word
end

-- The reference's text: "Figure 1", "1" (`[-@fig-x]`), "Figure 1 (a)" for a sub-float.
local function reference_inlines(citation, key, target)
  local number = target.parent and (target.number .. ' (' .. target.sub .. ')') or target.number
  if citation.mode == 'SuppressAuthor' then return pandoc.Inlines { pandoc.Str(number) } end
  return pandoc.Inlines { pandoc.Str(reference_word(target, citation.id)), nbsp(), pandoc.Str(number) }
end

-- The reference word comes from the project's settings: escaped, it stays text in Typst markup
-- (`supplement: [Figure]`, as Quarto writes it).
local function typst_text(text)
  return (text:gsub('%s+', ' '):gsub('([\\#%[%]%*_%$`<>@~=/+%-"\'])', '\\%1'))
end

-- Label -> number of each target a Typst `#ref` names, for the template's `galley-ref`.
local typst_numbers = {}

local function reference(citation, key, target)
  local typst_ref = FORMAT == 'typst' and (FLOATS[target.kind] or target.typst_figure)
    and not target.parent and citation.mode ~= 'SuppressAuthor' and key:match('^[%w_%-%.:]+$')
  if typst_ref then
    typst_numbers[key] = target.number
    local word = reference_word(target, citation.id)
    return pandoc.Inlines { pandoc.RawInline('typst', '#ref(<' .. key .. '>, supplement: [' .. typst_text(word) .. '])') }
  end
  local words = reference_inlines(citation, key, target)
  if option('ref-hyperlink', true) == false then return words end
  return pandoc.Inlines { pandoc.Link(words, '#' .. key, '', { class = 'quarto-xref' }) }
end

local function reference_text(citation)
  local id = citation.id
  local key = targets[id] and id or id:gsub('^%a', string.lower)
  local target = targets[key]
  if not target then
    -- As Quarto: the label with its first letter in lower case (`@Fig-x` shows `?@fig-x`).
    unresolved[#unresolved + 1] = key
    return pandoc.Inlines { pandoc.Strong { pandoc.Str('?@' .. key) } }
  end
  local text = pandoc.Inlines {}
  if #citation.prefix > 0 then text:extend(citation.prefix); text:insert(pandoc.Space()) end
  text:extend(reference(citation, key, target))
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
        if kind_of(citation.id) then
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
  for id, entry in pairs(meta['galley-xref'] or {}) do
    targets[id] = { kind = kind_of(id) or s(entry.kind), number = s(entry.number),
      prefix = entry.prefix and s(entry.prefix) or nil, typst_figure = entry['typst-figure'] == true }
  end
end

function Pandoc(doc)
  options = doc.meta.crossref or {}
  read_registered(doc.meta)
  doc = number_floats(doc, section_numbering(doc))
  doc = resolve_refs(doc)
  if #unresolved > 0 then
    for _, id in ipairs(unresolved) do
      io.stderr:write('galley-unresolved-crossref\t' .. id .. '\n')
    end
  end
  if next(typst_numbers) then
    local entries = {}
    for key, number in pairs(typst_numbers) do
      entries[#entries + 1] = '"' .. key .. '": "' .. number:gsub('[\\"]', '\\%0') .. '"'
    end
    table.sort(entries)
    doc.meta['galley-typst-ref-numbers'] = pandoc.RawInline('typst', '(' .. table.concat(entries, ', ') .. ',)')
  end
  return doc
end
