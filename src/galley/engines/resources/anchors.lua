--[[
anchors.lua: links to a `#anchor` that no element of the document has.

Quarto leaves such a link as written: in HTML and Word it goes nowhere, and Typst refuses the
whole PDF ("label `<x>` does not exist in the document"). Each is reported on stderr as
`galley-missing-anchor<TAB>x`, for galley to warn with file and line; in Typst the link becomes its
text, so that the PDF is written too. It runs last, once every filter has made its elements
(numbered floats, the bibliography's `ref-…` entries).

An anchor is an element's identifier, an `id="…"` in raw HTML or a `<label>` in raw Typst. In
Typst a link can only reach the elements pandoc's Typst writer gives a label (headings, divs,
spans, figures, tables) and raw Typst's labels: a link to any other anchor becomes its text there,
without a warning (it works in HTML).
]]
PANDOC_VERSION:must_be_at_least '3.1'

local TYPST_LABELLED = {
  Header = true, Div = true, Span = true, Figure = true, Table = true,
}

-- A filter that records every anchor into `all`, and those a Typst link can reach into `typst`.
-- It names the elements that have an identifier (pandoc's Attr): a walk calls Lua for these
-- alone, where a `Block`/`Inline` function is called for every word and space (25 ms of a run).
-- Top-down: one pass through the document for its blocks and inlines both, where a bottom-up
-- walk makes one for the inlines and another for the blocks (1.2-1.5 ms of the article's run).
-- What it records does not depend on the order, but for a link inside a link, which it meets
-- before the inner one.
local function anchor_filter(all, typst)
  local function add(el)
    local id = el.identifier
    if id ~= '' then
      all[id] = true
      if TYPST_LABELLED[el.t] then typst[id] = true end
    end
  end
  local function raw(el)
    if el.format == 'html' then
      for id in el.text:gmatch('%sid%s*=%s*["\']([^"\']+)["\']') do all[id] = true end
    elseif el.format == 'typst' then
      for label in el.text:gmatch('<([%w_%-%.:]+)>') do all[label] = true; typst[label] = true end
    end
  end
  return {
    traverse = 'topdown',
    Header = add, Div = add, Figure = add, Table = add, CodeBlock = add,
    Span = add, Link = add, Image = add, Code = add,
    RawBlock = raw, RawInline = raw,
  }
end

local function local_target(link)
  return link.target:match('^#(.+)$')
end

function Pandoc(doc)
  local all, typst = {}, {}
  -- The body's links to anchors, in document order, found in the walk that finds its anchors.
  local filter, targets = anchor_filter(all, typst), {}
  local add_link = filter.Link
  filter.Link = function(link)
    add_link(link)
    targets[#targets + 1] = local_target(link)
  end
  doc.blocks:walk(filter)
  -- The metadata's anchors count too (its links are not checked): looked for only when a link
  -- has no anchor in the body: the metadata (abstract, title block) is a fair share of the text.
  for _, id in ipairs(targets) do
    if not typst[id] then
      pandoc.Pandoc({}, doc.meta):walk(anchor_filter(all, typst))
      break
    end
  end
  local reported, unreachable = {}, false
  for _, id in ipairs(targets) do
    if not all[id] and not reported[id] then
      io.stderr:write('galley-missing-anchor\t' .. id .. '\n')
      reported[id] = true
    end
    unreachable = unreachable or not typst[id]
  end
  -- A code block's id, say, is an anchor in HTML but no label in Typst: the link becomes its text.
  if FORMAT ~= 'typst' or not unreachable then return nil end
  doc.blocks = doc.blocks:walk {
    Link = function(link)
      local id = local_target(link)
      if id and not typst[id] then return link.content end
    end,
  }
  return doc
end
