--[[
equations.lua: numbered display equations, as Quarto writes them.

`$$ ... $$ {#eq-x}` (optionally `{#eq-x alt="..."}`) is numbered in document order and
registered in the metadata map `galley-xref` (label -> {kind, number, prefix}), which
crossref.lua reads to turn `@eq-x` into "Equation 1"; so this filter runs before crossref.lua.

Per format, as Quarto's structure:
- HTML: `<span id="eq-x"><span class="math display"><math>...(1)</math></span></span>`. The
  math is MathML (it renders offline, in every current browser). MathML has no equation tags,
  so the number follows the equation after a quad; the TeX annotation keeps `\tag{1}`, which
  is how TeX, MathJax and KaTeX number it. Every other math element is wrapped in
  `span.math.inline` / `span.math.display` too, as Quarto's pages have it.
- DOCX: a bookmark `eq-x` around the equation with `\qquad(1)` (Word's native math).
- Typst: `#math.equation(block: true, numbering: equation-numbering, alt: "...", [ $ ... $ ])
  <eq-x>`; the template defines `equation-numbering`. `alt` is the equation's description
  in the tagged PDF: the author's; without one, the template sets the TeX as typed by the label
  (`#show label("eq-x"): set math.equation(alt: ...)`), and the call reads as Quarto's.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local xref_targets = dofile(pandoc.path.join { pandoc.path.directory(PANDOC_SCRIPT_FILE), 'xref-targets.lua' })

local counter = 0
local typst_alts = {} -- {label, TeX} of each numbered equation without the author's alt text
local registered = {} -- label -> {kind, number, prefix}, in this document

local function is_display_math(el)
  return el and el.t == 'Math' and el.mathtype == 'DisplayMath'
end

-- Smart quotes back to the straight ones typed (patterns match bytes, so one mark at a time).
local function straight_quotes(text)
  for mark, straight in pairs { ['\u{2018}'] = "'", ['\u{2019}'] = "'", ['\u{201C}'] = '"', ['\u{201D}'] = '"' } do
    text = text:gsub(mark, straight)
  end
  return text
end

-- The attribute block's text as written: pandoc reads `{#eq-x alt="A b"}` as several inlines.
local function attribute_text(inlines, first)
  local parts = {}
  for index = first, #inlines do
    local el = inlines[index]
    if el.t == 'Str' then
      parts[#parts + 1] = straight_quotes(el.text)
    elseif el.t == 'Space' then
      parts[#parts + 1] = ' '
    elseif el.t == 'Quoted' then
      local mark = el.quotetype == 'DoubleQuote' and '"' or "'"
      local inner = pandoc.write(pandoc.Pandoc { pandoc.Plain(el.content) }, 'plain', { wrap_text = 'none' })
      parts[#parts + 1] = mark .. straight_quotes(inner:gsub('\n$', '')) .. mark
    else
      return nil
    end
    local text = table.concat(parts)
    if text:match('}$') then return text, index end
  end
  return nil
end

-- The label and the alt text of `{#eq-x alt="..."}` (quotes either way, `\"` escapes inside).
local function parse_attributes(text)
  local label = text:match('^{#(eq%-[^%s}]+)')
  if not label then return nil end
  local value = text:match('%salt%s*=%s*(.-)%s*}$')
  if value then
    local quote = value:sub(1, 1)
    if (quote == '"' or quote == "'") and value:sub(-1) == quote and #value > 1 then
      value = value:sub(2, -2)
    end
    value = value:gsub('\\(["\'])', '%1')
  end
  return label, value
end

local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local function html_math(math, number)
  local quad = ' \\qquad(' .. number .. ')'
  local shown = pandoc.Math('DisplayMath', math.text .. quad)
  local html = pandoc.write(pandoc.Pandoc { pandoc.Plain { shown } }, 'html', { html_math_method = 'mathml' })
  local at = html:find(quad .. '</annotation>', 1, true)
  if at then
    html = html:sub(1, at - 1) .. ' \\tag{' .. number .. '}' .. html:sub(at + #quad)
  end
  return pandoc.RawInline('html', '<span class="math display">' .. html:gsub('\n$', '') .. '</span>')
end

local function render(math, label, alt, number)
  if FORMAT == 'typst' then
    local alt_arg = alt and (', alt: ' .. typst_string(alt)) or ''
    if not alt then typst_alts[#typst_alts + 1] = { label, math.text } end
    -- In a span, so that typst-math.lua knows the math inside has its alt text here.
    return { pandoc.Span({
      pandoc.RawInline('typst', '#math.equation(block: true, numbering: equation-numbering' .. alt_arg .. ', [ '),
      math,
      pandoc.RawInline('typst', ' ])<' .. label .. '>'),
    }, { class = 'galley-equation' }) }
  end
  if FORMAT:match('html') then
    return { pandoc.Span({ html_math(math, number) }, { id = label }) }
  end
  local numbered = pandoc.Math('DisplayMath', math.text .. ' \\qquad(' .. number .. ')')
  return { pandoc.Span({ numbered }, { id = label }) }
end

-- Number each display equation followed by `{#eq-...}` in a paragraph's inlines.
local function number_equations(block)
  local inlines, out, index = block.content, pandoc.Inlines {}, 1
  -- A paragraph without display math is left as it is: rebuilding it costs as much as the
  -- document's text (seconds for a book).
  if not inlines:find_if(is_display_math) then return nil end
  while index <= #inlines do
    local el = inlines[index]
    local after = inlines[index + 1] and inlines[index + 1].t == 'Space' and index + 2 or index + 1
    local next_el = inlines[after]
    local text, last
    if is_display_math(el) and next_el and next_el.t == 'Str' and next_el.text:match('^{#eq%-') then
      text, last = attribute_text(inlines, after)
    end
    local label, alt = nil, nil
    if text then label, alt = parse_attributes(text) end
    if label then
      counter = counter + 1
      -- No word of its own: crossref.lua's `eq-prefix`, in the document's language ("Equação").
      registered[label] = { kind = 'eq', number = tostring(counter) }
      out:extend(render(el, label, alt, registered[label].number))
      index = last + 1
    else
      out:insert(el)
      index = index + 1
    end
  end
  block.content = out
  return block
end

-- Quarto's pages wrap all math in `span.math`; a numbered equation is raw HTML by now.
local function wrap_math(math)
  local kind = math.mathtype == 'DisplayMath' and 'display' or 'inline'
  return pandoc.Span({ math }, { class = 'math ' .. kind })
end

-- The document with its inline math wrapped (in HTML), and whether it holds display math.
local function find_display_math(doc, wrap_inline)
  local found = false
  doc = doc:walk {
    Math = function(math)
      if math.mathtype == 'DisplayMath' then
        found = true
      elseif wrap_inline then
        return wrap_math(math)
      end
    end,
  }
  return doc, found
end

function Pandoc(doc)
  local html = FORMAT:match('html') ~= nil
  -- Most paragraphs hold no display math; a walk over the math alone is much cheaper than one
  -- over every paragraph's text. In HTML it wraps the inline math too; display math is wrapped
  -- once numbered equations are written (raw HTML then).
  local display
  doc, display = find_display_math(doc, html)
  if display then
    doc = doc:walk { Para = number_equations, Plain = number_equations }
    if html then
      doc = doc:walk {
        Math = function(math)
          if math.mathtype == 'DisplayMath' then return wrap_math(math) end
        end,
      }
    end
  end
  doc.meta = xref_targets.record(doc.meta, registered)
  -- PDF/UA-1 asks alt text of every formula: without the author's, the TeX as typed, set by the
  -- equation's label in the template, so that its call reads as Quarto writes it.
  if #typst_alts > 0 then
    local rules = pandoc.List {}
    for _, entry in ipairs(typst_alts) do
      local tex = entry[2]:gsub('%s+', ' '):gsub('^ ', ''):gsub(' $', '')
      rules:insert(pandoc.MetaInlines { pandoc.RawInline('typst', '#show label('
        .. typst_string(entry[1]) .. '): set math.equation(alt: ' .. typst_string(tex) .. ')') })
    end
    doc.meta['galley-typst-equation-alts'] = pandoc.MetaList(rules)
  end
  return doc
end
