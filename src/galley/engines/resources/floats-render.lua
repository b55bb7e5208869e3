--[[
floats-render.lua: write each numbered float Figure in the structure Quarto gives it.

Runs last, after numbering (crossref.lua) and arrangement (layout.lua), on the Figures whose
identifier is `fig-`, `tbl-` or `lst-`:
- HTML: `div#fig-x.quarto-float.quarto-figure.quarto-figure-center` > `figure.quarto-float
  .quarto-float-fig` > the content, and `figcaption.quarto-float-caption-bottom` (top for
  tables); a sub-float's caption is `figcaption.quarto-subfloat-caption`. Other figures get
  Quarto's `div.quarto-figure` > `figure.figure`, and tables the class `caption-top`; in Typst
  an uncaptioned table is a bare `#table(...)`.
- DOCX: a one-cell layout table holding the content and the caption paragraph (style "Image
  Caption" or "Table Caption"), bookmarked with the float's identifier.
- Typst: `#figure([...], caption: ..., kind: "quarto-float-fig", supplement: "Figure")<fig-x>`,
  numbered with the number crossref.lua gave, so the PDF and references agree.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local TITLES = { fig = 'Figure', tbl = 'Table', lst = 'Listing' }
local CAPTION_ID = '-caption-0ceaefa1-69ba-4598-a22c-09a6ac19f8ca' -- the suffix Quarto uses

local crossref = {}

-- Option values come from the front matter: they are text in every output, never markup.
local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local function typst_text(text)
  return (text:gsub('[%c]', ' '):gsub('([\\#%[%]%*_%$`<>@~=/+%-])', '\\%1'))
end

local function html_attr(text)
  return (text:gsub('&', '&amp;'):gsub('"', '&quot;'):gsub('<', '&lt;'):gsub('>', '&gt;'))
end

local function kind_of(figure)
  local kind = figure.identifier:match('^(%a+)%-')
  return kind and TITLES[kind] and kind or nil
end

local function caption_top(kind)
  local where = crossref[kind .. '-cap-location'] or ((kind == 'tbl' or kind == 'lst') and 'top' or 'bottom')
  return where == 'top'
end

local function caption_inlines(figure, keep_prefix)
  local inlines = pandoc.utils.blocks_to_inlines(figure.caption.long)
  return inlines:walk {
    Span = function(span)
      if not span.classes:includes('galley-float-prefix') then return nil end
      return keep_prefix and span.content or {}
    end,
  }
end

local function html_float(figure, kind)
  local sub = figure.attributes['galley-subfloat']
  local top = caption_top(kind)
  local caption_id = html_attr(figure.identifier .. CAPTION_ID)
  local classes = { 'quarto-float-caption-' .. (top and 'top' or 'bottom') }
  if sub then
    classes[#classes + 1] = 'quarto-subfloat-caption quarto-subfloat-' .. kind
  else
    classes[#classes + 1] = 'quarto-float-caption quarto-float-' .. kind
  end
  local caption = pandoc.Blocks {
    pandoc.RawBlock('html', '<figcaption class="' .. table.concat(classes, ' ') .. '" id="' .. caption_id .. '">'),
    pandoc.Plain(caption_inlines(figure, true)),
    pandoc.RawBlock('html', '</figcaption>'),
  }
  local figure_class = 'quarto-float quarto-' .. (sub and 'subfloat-' or 'float-') .. kind .. ' figure'
  local body = pandoc.Blocks { pandoc.RawBlock('html', '<figure class="' .. figure_class .. '">') }
  if top then body:extend(caption) end
  body:insert(pandoc.Div(figure.content, { ['aria-describedby'] = caption_id }))
  if not top then body:extend(caption) end
  body:insert(pandoc.RawBlock('html', '</figure>'))
  local classes_div = pandoc.List { 'quarto-float', 'quarto-figure', 'quarto-figure-center', 'anchored' }
  classes_div:extend(figure.classes)
  return pandoc.Div(body, pandoc.Attr(figure.identifier, classes_div))
end

local function docx_float(figure, kind)
  local style = kind == 'tbl' and 'Table Caption' or 'Image Caption'
  local caption = pandoc.Div(pandoc.Para(caption_inlines(figure, true)), { ['custom-style'] = style })
  local cell = pandoc.Blocks {}
  if caption_top(kind) then cell:insert(caption) end
  cell:extend(figure.content)
  if not caption_top(kind) then cell:insert(caption) end
  -- A figure is centred. A table is not: pandoc would centre every paragraph in the layout
  -- cell, the table's own cells too, overriding their alignment (numbers right, text left).
  local align = kind == 'tbl' and pandoc.AlignDefault or pandoc.AlignCenter
  local layout = pandoc.SimpleTable({}, { align }, { 1 }, {},
    { { { pandoc.Div(cell, pandoc.Attr(figure.identifier)) } } })
  return pandoc.utils.from_simple_table(layout)
end

-- Where a float goes in the PDF, as typst-floats.lua decided (a sub-float stays in its float):
-- floated, kept in the text (where it may break across pages), or left to be measured. Typst
-- measures those before the PDF's compile (galley.engines.float_sizes finds them by the closing
-- comment), or else the template's `galley-float` measures them in it.
-- The wrapper holds the figure alone: a paragraph break inside it would make it taller.
local PLACEMENT = {
  float = { '#place(auto, float: true)[', ']' },
  text = { '#[#show figure: set block(breakable: true);', ']' },
  measure = { '#galley-float[', ']\n// galley-float end' },
}

-- A float with sub-floats names its arguments first and its body last, as Quarto's
-- `quarto_super` does; so its body never opens with the sub-floats' own `#figure(`.
local function typst_float(figure, kind)
  local sub = figure.attributes['galley-subfloat']
  local number = sub and ('(' .. sub .. ')') or figure.attributes['galley-number']
  local words = caption_inlines(figure, false)
  local delim = sub and ' ' or ((crossref['title-delim'] or ':') .. ' ')
  if #pandoc.utils.stringify(words) == 0 then delim = '' end
  local supplement = sub and '[]' or typst_string(crossref[kind .. '-title'] or TITLES[kind])
  -- The figure's alt text, where its image has none (typst-alt.lua).
  local described = figure.attributes['galley-alt']
  local alt = described and ('alt: ' .. typst_string(described) .. ', ') or ''
  local caption = pandoc.Blocks {
    pandoc.RawBlock('typst', 'caption: figure.caption(position: ' .. (caption_top(kind) and 'top' or 'bottom')
      .. ', separator: [' .. typst_text(delim) .. '], ['),
    pandoc.Plain(words),
    pandoc.RawBlock('typst', ']), ' .. alt .. 'kind: "quarto-' .. (sub and 'subfloat' or 'float') .. '-' .. kind
      .. '", supplement: ' .. supplement .. ', numbering: _ => ' .. typst_string(number)),
  }
  local label = '<' .. figure.identifier .. '>'
  -- Only where typst-floats.lua ran: the wrappers are galley's template's.
  local wrapper = not sub and PLACEMENT[figure.attributes['galley-placement'] or ''] or { '', '' }
  local open, close = wrapper[1], wrapper[2]
  local blocks = pandoc.Blocks {}
  if figure.attributes['galley-has-subfloats'] then
    blocks:insert(pandoc.RawBlock('typst', open .. '#figure('))
    blocks:extend(caption)
    blocks:insert(pandoc.RawBlock('typst', ', ['))
    blocks:extend(figure.content)
    blocks:insert(pandoc.RawBlock('typst', '])' .. label .. close))
  else
    blocks:insert(pandoc.RawBlock('typst', open .. '#figure(['))
    blocks:extend(figure.content)
    blocks:insert(pandoc.RawBlock('typst', '],'))
    blocks:extend(caption)
    blocks:insert(pandoc.RawBlock('typst', ')' .. label .. close))
  end
  return blocks
end

local function render(figure)
  local kind = kind_of(figure)
  if not kind then
    if FORMAT:match('html') then
      figure.classes:insert('figure')
      return pandoc.Div(figure, { class = 'quarto-figure quarto-figure-center' })
    end
    return nil
  end
  if FORMAT:match('html') then return html_float(figure, kind) end
  if FORMAT == 'docx' then return docx_float(figure, kind) end
  if FORMAT == 'typst' then return typst_float(figure, kind) end
  return nil
end

-- Pandoc's Typst writer puts every table in a `#figure`; Quarto writes an uncaptioned table
-- (alone, or as a float's content) as the bare `#table(...)`, so it is not a second figure.
local function typst_table(tbl)
  if #pandoc.utils.stringify(tbl.caption.long) > 0 then return nil end
  -- The document's extensions (with --citeproc, citations stay the text citeproc wrote), but
  -- not its other options: its template would make a whole document of the table.
  local format = { format = 'typst', extensions = PANDOC_WRITER_OPTIONS.extensions }
  local written = pandoc.write(pandoc.Pandoc { tbl }, format)
  local bare = written:match('^#figure%(%s*align%(center%)%[(#table%(.*%))%]%s*, kind: table%s*%)%s*$')
  return bare and pandoc.RawBlock('typst', bare) or nil
end

local function render_table(tbl)
  if FORMAT == 'typst' then return typst_table(tbl) end
  if FORMAT:match('html') and crossref['tbl-cap-location'] ~= 'bottom' then
    tbl.classes:insert('caption-top')
  end
  return tbl
end

return {
  {
    Meta = function(meta)
      for key, value in pairs(meta.crossref or {}) do crossref[key] = pandoc.utils.stringify(value) end
      for _, key in ipairs { 'fig-cap-location', 'tbl-cap-location' } do
        if meta[key] then crossref[key] = pandoc.utils.stringify(meta[key]) end
      end
    end,
  },
  { Table = render_table, Figure = render },
}
