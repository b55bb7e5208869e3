--[[
conditional.lua: Quarto's conditional content, decided before anything else sees the document.

A div, span or code block of class `content-visible` or `content-hidden` carries conditions:
`when-format` / `unless-format` (an output format, with Quarto's aliases: `html` is any HTML,
`html:js` HTML that runs scripts, `latex` and `pdf` LaTeX output only), `when-meta` /
`unless-meta` (a metadata key, dotted for nested keys, that must be `true`) and `when-profile` /
`unless-profile` (galley builds with no profile). All conditions must hold for the content to
match; `content-visible` keeps matching content, `content-hidden` drops it. A kept element stays
without the condition marks; a kept div with nothing else (no id, class or attribute) gives way
to its content, while one with more (`{#fig-x .content-visible ...}`, `{.proof ...}`) stays for
the filters that read it.

A cross-reference to something hidden here (`@fig-x` when `#fig-x` is hidden in this format)
renders as a bold `?@fig-x`, as in Quarto, and is reported on stderr as
`galley-hidden-crossref<TAB>fig-x` for galley to warn about.

Needs the metadata field `galley-meta-flags`: every metadata key (dotted) whose value is a
boolean, with that value; it is removed from the document here.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local CONDITIONS = { 'when-format', 'unless-format', 'when-meta', 'unless-meta',
  'when-profile', 'unless-profile' }

local flags = {}

local function is_html()
  return FORMAT == 'html' or FORMAT == 'html4' or FORMAT == 'html5'
end

-- Quarto's format names, with its aliases, against the format pandoc writes.
local function is_format(name)
  if name == FORMAT then return true end
  if name == 'html' or name == 'html:js' then return is_html() end
  if name == 'latex' or name == 'pdf' then return FORMAT == 'latex' or FORMAT == 'beamer' end
  return false
end

local function is_meta_true(key)
  return flags[key] == true
end

local function no_profile()
  return false
end

local TESTS = {
  { 'when-format', is_format, false },
  { 'unless-format', is_format, true },
  { 'when-meta', is_meta_true, false },
  { 'unless-meta', is_meta_true, true },
  { 'when-profile', no_profile, false },
  { 'unless-profile', no_profile, true },
}

local function conditions_hold(attributes)
  for _, test in ipairs(TESTS) do
    local value = attributes[test[1]]
    if value ~= nil and test[2](value) == test[3] then
      return false
    end
  end
  return true
end

-- nil when `el` is not conditional; else whether it is shown. Its condition marks are removed.
local function shown(el)
  local visible = el.classes:includes('content-visible')
  if not visible and not el.classes:includes('content-hidden') then
    return nil
  end
  local match = conditions_hold(el.attributes)
  for _, name in ipairs(CONDITIONS) do
    el.attributes[name] = nil
  end
  el.classes = el.classes:filter(function(c)
    return c ~= 'content-visible' and c ~= 'content-hidden'
  end)
  return match == visible
end

local function read_flags(meta)
  for key, value in pairs(meta['galley-meta-flags'] or {}) do
    flags[key] = value
  end
end

local filter
local hidden_ids = {}

local function remember_id(el)
  if el.identifier ~= nil and el.identifier ~= '' then
    hidden_ids[el.identifier] = true
  end
end

-- Every label inside hidden content: element ids, and `{#eq-x}` after display math.
local function remember_ids(div)
  remember_id(div)
  div:walk {
    Block = remember_id,
    Inline = remember_id,
    Str = function(str)
      local label = str.text:match('^{#([%w_.:-]+)}$')
      if label then hidden_ids[label] = true end
    end,
  }
end

local function unresolved_if_hidden(cite)
  local id = cite.citations[1].id
  if #cite.citations ~= 1 or not hidden_ids[id] then return nil end
  io.stderr:write('galley-hidden-crossref\t' .. id .. '\n')
  return pandoc.Strong { pandoc.Str('?@' .. id) }
end

-- Topdown: a hidden div's content is never looked at; a kept one's is walked here (pandoc does
-- not walk into a replacement), then the walk is told to skip it.
local function keep_or_drop(el)
  local show = shown(el)
  if show == nil then return nil end
  if not show then remember_id(el) end
  return show and el or {}
end

local function div_shown_or_dropped(div)
  local show = shown(div)
  if show == nil then return nil end
  if not show then
    remember_ids(div)
    return {}, false
  end
  local content = pandoc.Blocks(div.content):walk(filter)
  if div.identifier == '' and #div.classes == 0 and #div.attributes == 0 then
    return content, false
  end
  div.content = content
  return div, false
end

filter = {
  traverse = 'topdown',
  Div = div_shown_or_dropped,
  Span = keep_or_drop,
  CodeBlock = keep_or_drop,
}

function Pandoc(doc)
  read_flags(doc.meta)
  doc.meta['galley-meta-flags'] = nil
  doc = doc:walk(filter)
  if next(hidden_ids) == nil then return doc end
  return doc:walk { Cite = unresolved_if_hidden }
end
