--[[
reference-list.lua: the document becomes its reference list, for `galley refs`.

Runs last in the article's own HTML pass, after --citeproc and the filters that shape the page,
so each entry is exactly what the article prints in `#refs`. The output is one JSON object:
`html`, `markdown` and `plain`, each a list of the entries in the list's order. The HTML entry is
the page's own element, written with the page's writer options. The Markdown and plain entries
are text to paste: raw markup (a LaTeX command a .bib field carried, which the page drops too)
and wrapper spans are left out, links lose their attributes, and a link's target is
percent-encoded where Markdown would read a character as syntax (a space or `)` would end the
target and let the rest of a .bib field become markup).
]]
PANDOC_VERSION:must_be_at_least '3.1.1'  -- pandoc.json

local UNSAFE_IN_TARGET = '[%s<>()%[%]"\\`{}|^]'

local function percent_encode(char)
  return string.format('%%%02X', char:byte())
end

local as_text = {
  RawInline = function() return {} end,
  RawBlock = function() return {} end,
  Span = function(span) return span.content end,
  Link = function(link)
    link.attr = pandoc.Attr()
    link.target = link.target:gsub(UNSAFE_IN_TARGET, percent_encode)
    return link
  end,
}

local function write(blocks, format)
  return (pandoc.write(pandoc.Pandoc(blocks), format, PANDOC_WRITER_OPTIONS):gsub('%s+$', ''))
end

local function entries_of(doc)
  local entries = {}
  doc.blocks:walk {
    Div = function(div)
      if div.identifier == 'refs' then
        for _, entry in ipairs(div.content) do
          if entry.t == 'Div' and entry.classes:includes('csl-entry') then
            table.insert(entries, entry)
          end
        end
      end
    end,
  }
  return entries
end

function Pandoc(doc)
  local lists = { html = {}, markdown = {}, plain = {} }
  for _, entry in ipairs(entries_of(doc)) do
    table.insert(lists.html, write({ entry }, 'html5'))
    local text = entry.content:walk(as_text)
    -- Without `smart`, quotation marks and dashes are written as the characters the page shows.
    table.insert(lists.markdown, write(text, 'markdown-smart'))
    table.insert(lists.plain, write(text, 'plain'))
  end
  return pandoc.Pandoc({ pandoc.RawBlock('html', pandoc.json.encode(lists)) })
end
