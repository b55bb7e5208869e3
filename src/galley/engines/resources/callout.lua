--[[
callout.lua: Quarto's callout blocks for the embedded engine.

`::: {.callout-note}` (also -tip, -warning, -important, -caution, and a bare `.callout`) becomes a
callout box with Quarto's structure: the title comes from `title="..."` or a leading heading;
`appearance="default|simple|minimal"`, `icon=false` and `collapse="true|false"` are honoured.
A callout whose id has a callout kind (`#nte-x`, `#tip-x`, `#wrn-x`, `#imp-x`, `#cau-x`) is
numbered per kind ("Note 1: Title") and recorded in the metadata map `galley-xref` for
crossref.lua, which runs after this filter and resolves `@nte-x`.

Per format: HTML as Quarto's Bootstrap markup (class names a Quarto stylesheet and the smoke
tests know; collapsing uses <details>, no script); DOCX a bordered, shaded one-column table as
Quarto's; Typst a call of the template's `callout(...)`, wrapped in a figure when numbered so
that `<nte-x>` can be linked. Icons are drawn by CSS and the Typst template: nothing is fetched.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local xref_targets = dofile(pandoc.path.join { pandoc.path.directory(PANDOC_SCRIPT_FILE), 'xref-targets.lua' })
local construct_title = dofile(pandoc.path.join { pandoc.path.directory(PANDOC_SCRIPT_FILE), 'construct-title.lua' })

-- Quarto's colours (frame, background) and its Typst icon names, per callout type.
local TYPES = {
  note = { color = '0758E5', background = 'dae6fb', icon = 'fa-info' },
  warning = { color = 'EB9113', background = 'fcefdc', icon = 'fa-exclamation-triangle' },
  important = { color = 'CC1914', background = 'f7dddc', icon = 'fa-exclamation' },
  tip = { color = '00A047', background = 'ccf1e3', icon = 'fa-lightbulb' },
  caution = { color = 'FC5300', background = 'ffe5d0', icon = 'fa-fire' },
}
local OTHER = { color = '909090', background = 'e6e6e6', icon = 'fa-info' }
local REF_KINDS = { nte = 'note', tip = 'tip', wrn = 'warning', imp = 'important', cau = 'caution' }
local OPTIONS = { 'title', 'appearance', 'icon', 'collapse' }

local language = {}     -- the document's `language:` map, as strings
local defaults = {}     -- the document's `callout-appearance` and `callout-icon` options
local counters = {}     -- ref kind -> callouts numbered so far
local registered = {}   -- label -> {kind, number, prefix} for galley-xref
local collapse_count = 0

local function capitalised(word)
  return word:sub(1, 1):upper() .. word:sub(2)
end

-- The word Quarto shows for a type ("Note"), unless the document's `language:` renames it.
local function display_name(kind)
  return language['callout-' .. kind .. '-title'] or capitalised(kind)
end

local function callout_type(div)
  for _, class in ipairs(div.classes) do
    if class == 'callout' then return 'none' end
    local kind = class:match('^callout%-(%a+)$')
    if kind and TYPES[kind] then return kind end
  end
  return nil
end

-- A callout whose id has a callout kind's prefix gets the next number of that kind.
local function number(id)
  local ref = id:match('^(%a+)%-')
  local ref_kind = ref and REF_KINDS[ref]
  if not ref_kind then return end
  counters[ref] = (counters[ref] or 0) + 1
  registered[id] = {
    kind = ref,
    type = ref_kind,
    number = tostring(counters[ref]),
    prefix = language['crossref-' .. ref .. '-prefix'] or language['crossref-' .. ref_kind .. '-prefix']
      or capitalised(ref_kind),
  }
end

-- A numbered callout's title reads "Note 1: Title", or "Note 1" when it has none.
local function prefix_title(callout)
  local entry = registered[callout.id]
  if not entry then return end
  callout.numbered = true
  local prefix = pandoc.Inlines { pandoc.Str(display_name(entry.type) .. '\u{a0}' .. entry.number) }
  if #callout.title > 0 then prefix:extend { pandoc.Str(':'), pandoc.Space() } end
  callout.title = prefix .. callout.title
end

local function parse(div)
  local kind = callout_type(div)
  local callout = {
    kind = kind,
    title = construct_title.take(div, 'title'),
    content = div.content,
    collapse = div.attributes.collapse,
    id = div.identifier,
  }
  local appearance = (div.attributes.appearance or defaults.appearance or ''):lower()
  if appearance ~= 'simple' and appearance ~= 'minimal' then
    appearance = kind == 'none' and 'simple' or 'default'
  end
  local icon = div.attributes.icon or defaults.icon
  callout.icon = icon ~= 'false' and kind ~= 'none' and appearance ~= 'minimal'
  callout.appearance = appearance == 'minimal' and 'simple' or appearance
  for _, option in ipairs(OPTIONS) do div.attributes[option] = nil end
  callout.classes = div.classes:filter(function(class) return not class:match('^callout') end)
  callout.attributes = div.attributes
  prefix_title(callout)
  return callout
end

-- A Typst string literal on one line (the reference word comes from the document's `language:`).
local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('%s', ' ') .. '"'
end

local function empty(inlines)
  return #inlines == 0
end

-- The title shown when the author gave none: the type's word ("Note"). A plain `.callout` has
-- no type, and no title then (Quarto's own would read "None").
local function default_title(callout)
  if callout.kind == 'none' then return pandoc.Inlines {} end
  return pandoc.Inlines { pandoc.Str(display_name(callout.kind)) }
end

local function html_icon(callout)
  local class = callout.icon and 'callout-icon' or 'callout-icon no-icon'
  return pandoc.RawInline('html', '<i class="' .. class .. '" aria-hidden="true"></i>')
end

-- Collapsible callouts use <details>: it opens and closes without a script, for keyboards too.
local function html_collapsible(callout, title, body)
  collapse_count = collapse_count + 1
  local id = 'callout-' .. collapse_count
  local open = callout.collapse == 'true' and '' or ' open'
  return {
    pandoc.RawBlock('html', '<details class="callout-details"' .. open .. '>'
      .. '<summary class="callout-header d-flex align-content-center">'
      .. '<span class="callout-icon-container">'),
    pandoc.Plain { html_icon(callout), pandoc.RawInline('html',
      '</span><span class="callout-title-container flex-fill">') },
    pandoc.Plain(title),
    pandoc.RawBlock('html', '</span><span class="callout-btn-toggle"><i class="callout-toggle"'
      .. ' aria-hidden="true"></i></span></summary>'),
    pandoc.Div(body, { id = id, class = id .. '-contents callout-collapse collapse' .. (open ~= '' and ' show' or '') }),
    pandoc.RawBlock('html', '</details>'),
  }
end

local function render_html(callout)
  local title = callout.title
  local screen_reader = not callout.numbered and callout.kind ~= 'none'
  if empty(title) and callout.appearance == 'default' then
    title = default_title(callout)
    screen_reader = false
  end
  local classes = { 'callout', 'callout-style-' .. callout.appearance, 'callout-' .. callout.kind }
  if not callout.icon then classes[#classes + 1] = 'no-icon' end
  if #callout.content == 0 then classes[#classes + 1] = 'callout-empty-content' end
  local icon = pandoc.Div(pandoc.Plain { html_icon(callout) }, { class = 'callout-icon-container' })
  local outer = pandoc.Div({}, pandoc.Attr(callout.id, {}, callout.attributes))
  if empty(title) then
    local body = pandoc.Div(callout.content, { class = 'callout-body-container' })
    outer.content:insert(pandoc.Div({ icon, body }, { class = 'callout-body d-flex' }))
  else
    classes[#classes + 1] = 'callout-titled'
    if screen_reader then
      title = pandoc.Inlines { pandoc.Span(display_name(callout.kind), { class = 'screen-reader-only' }) } .. title
    end
    local body = pandoc.Div(callout.content, { class = 'callout-body-container callout-body' })
    if callout.collapse == 'true' or callout.collapse == 'false' then
      outer.content:extend(html_collapsible(callout, title, { body }))
    else
      local heading = pandoc.Div(pandoc.Plain(title), { class = 'callout-title-container flex-fill' })
      outer.content:insert(pandoc.Div({ icon, heading }, { class = 'callout-header d-flex align-content-center' }))
      outer.content:insert(body)
    end
  end
  outer.classes = pandoc.List(classes) .. callout.classes
  return outer
end

local DOCX_OPEN = [[
<w:tbl><w:tblPr><w:tblStyle w:val="Table" /><w:tblW w:w="5000" w:type="pct" />
<w:tblBorders><w:top w:val="$edge" w:sz="4" w:space="0" w:color="$color" /><w:left w:val="single" w:sz="24" w:space="0" w:color="$color" /><w:bottom w:val="$edge" w:sz="4" w:space="0" w:color="$color" /><w:right w:val="$edge" w:sz="4" w:space="0" w:color="$color" /></w:tblBorders>
<w:tblCellMar><w:left w:w="144" w:type="dxa" /><w:right w:w="144" w:type="dxa" /></w:tblCellMar>
<w:tblLook w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="0" w:val="0000" /></w:tblPr>
<w:tblGrid><w:gridCol w:w="9000" /></w:tblGrid>]]
local DOCX_TITLE_ROW = '<w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc><w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="$fill" /></w:tcPr>'
local DOCX_BODY_ROW = '<w:tr><w:tc>'
-- A cell must end with a paragraph (Word refuses the file otherwise), even after a nested table;
-- a small paragraph after the table keeps Word from merging two callouts in a row into one table.
local DOCX_END_ROW = '<w:p /></w:tc></w:tr>'
local DOCX_CLOSE = '</w:tbl><w:p><w:pPr><w:spacing w:before="0" w:after="0" /></w:pPr></w:p>'

-- DOCX: a table with a coloured frame, the title in a shaded first row (Quarto's layout); the
-- simple appearance keeps only the coloured left rule. Every value put into the XML is one of the
-- constants above, never the author's text.
local function render_docx(callout)
  local colours = TYPES[callout.kind] or OTHER
  local simple = callout.appearance == 'simple'
  local values = {
    color = colours.color,
    fill = simple and 'auto' or colours.background,
    edge = simple and 'nil' or 'single',
  }
  local function raw(text)
    return pandoc.RawBlock('openxml', (text:gsub('%$(%a+)', values)))
  end
  local title = callout.title
  if empty(title) and callout.appearance == 'default' then title = default_title(callout) end
  local blocks = pandoc.Blocks { raw(DOCX_OPEN) }
  if not empty(title) then
    blocks:extend { raw(DOCX_TITLE_ROW), pandoc.Para { pandoc.Strong(title) }, raw(DOCX_END_ROW) }
  end
  blocks:insert(raw(DOCX_BODY_ROW))
  blocks:extend(callout.content)
  blocks:insert(raw(DOCX_END_ROW .. DOCX_CLOSE))
  return pandoc.Div(blocks, { id = callout.id, class = 'docx-callout' })
end

-- Typst: `#callout(body: [...], title: [...], ...)` as Quarto writes it; the title stays pandoc
-- inlines on the closing line so that pandoc escapes it and citations in it still resolve.
local function render_typst(callout)
  local colours = TYPES[callout.kind] or OTHER
  local title = callout.title
  if empty(title) then title = default_title(callout) end
  local icon = callout.icon and (colours.icon .. '()') or 'none'
  local open, close = '#callout(\nbody: \n[', ')'
  if callout.numbered then
    open = '#figure([\n#block[\n' .. open
    -- The figure kind follows the id ("nte"), as the numbering does, not the class.
    close = ')\n]\n], kind: "quarto-callout-' .. capitalised(registered[callout.id].type) .. '", supplement: '
      .. typst_string(registered[callout.id].prefix) .. ', numbering: "1", caption: none, outlined: false)\n<'
      .. callout.id .. '>'
  end
  local blocks = pandoc.Blocks { pandoc.RawBlock('typst', open) }
  blocks:extend(callout.content)
  local closing = pandoc.Inlines { pandoc.RawInline('typst', '], \ntitle: [') }
  closing:extend(title)
  closing:insert(pandoc.RawInline('typst', '], \nbackground_color: rgb("#' .. colours.background
    .. '"), \nicon_color: rgb("#' .. colours.color .. '"), \nicon: ' .. icon
    .. ', \nbody_background_color: white\n' .. close))
  blocks:insert(pandoc.Plain(closing))
  return blocks
end

-- Other formats: Quarto's fallback, a block quote opened by the bold title.
local function render_plain(callout)
  local title = callout.title
  if empty(title) then title = default_title(callout) end
  local opening = empty(title) and pandoc.Blocks {} or pandoc.Blocks { pandoc.Para { pandoc.Strong(title) } }
  local quote = pandoc.BlockQuote(opening .. callout.content)
  return pandoc.Div({ quote }, { id = callout.id })
end

local function render(callout)
  if FORMAT:match('html') then return render_html(callout) end
  if FORMAT == 'docx' then return render_docx(callout) end
  if FORMAT == 'typst' then return render_typst(callout) end
  return render_plain(callout)
end

-- `language:` may also name a file (a string), which galley does not read.
local function read_options(meta)
  if pandoc.utils.type(meta.language) == 'table' then
    for key, value in pairs(meta.language) do
      language[key] = pandoc.utils.stringify(value)
    end
  end
  for _, option in ipairs { 'appearance', 'icon' } do
    local value = meta['callout-' .. option]
    if value ~= nil then defaults[option] = pandoc.utils.stringify(value) end
  end
end


local function numbered(div)
  local ref = div.identifier:match('^(%a+)%-')
  return ref ~= nil and REF_KINDS[ref] ~= nil
end

-- Rendered without numbers, in a walk that also tells whether any was to be numbered (nil then).
local function render_unnumbered(doc)
  local found = false
  local rendered = doc:walk {
    Div = function(div)
      if not callout_type(div) then return nil end
      found = found or numbered(div)
      if not found then return render(parse(div)) end
    end,
  }
  if not found then return rendered end
  collapse_count = 0
  return nil
end

-- Numbered in document order (outer before inner), then rendered bottom-up, so a nested
-- callout is already rendered when the one around it is. That order needs a walk into every
-- paragraph (a note may hold a callout), three times the cost of the walk that renders, so it
-- is taken only for a document with a numbered callout.
function Pandoc(doc)
  read_options(doc.meta)
  local rendered = render_unnumbered(doc)
  if rendered then return rendered end
  doc:walk {
    traverse = 'topdown',
    Div = function(div)
      if callout_type(div) then number(div.identifier) end
    end,
  }
  xref_targets.record(doc.meta, registered, true)
  return doc:walk {
    Div = function(div)
      if callout_type(div) then return render(parse(div)) end
    end,
  }
end
