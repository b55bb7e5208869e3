--[[
citations.lua: pandoc's citeproc, with its costly part done once for all formats.

Rendering citations is most of a pandoc run at book size (90 of 108 s for 100 times this
article), and it depends only on the citations in order and on the metadata citeproc reads, not
on the format. So this filter hands `pandoc.utils.citeproc` a skeleton of the document: those
metadata fields, each metadata field that holds a citation, and every citation of the body in
document order, each in a paragraph of its own. The rendered skeleton is kept in the folder named
by GALLEY_CITATIONS (galley's scratch folder for this render) under the skeleton's hash, so the
next format with the same skeleton (the usual case) reads it instead of rendering again. A format
whose skeleton differs (content shown in one format only holds a citation) renders its own.

The rendered citations and the bibliography then go into the document as pandoc's own citeproc
puts them (processCitations in Text/Pandoc/Citeproc.hs, pandoc 3.9):
- each citation gets its rendered text, in document order;
- in each list of inlines, a space before a citation rendered as one note or superscript is
  dropped, and so is a "." after a citation whose text ends with "." (`mvPunct`);
- the bibliography fills each Div `#refs` (or `#…__refs`), its classes and attributes added,
  or else it goes at the end, after a `reference-section-title` heading, or with the last
  heading made unnumbered when the document ends with one (`insertRefs`);
- a span of class `csl-quoted` alone becomes a plain span (`removeQuoteSpan`).
Pandoc does more for a note style or `notes-after-punctuation` (citations moved into notes,
punctuation moved before them) and for sections that reset citation positions; those documents,
and any run without GALLEY_CITATIONS (galley sets it only for an in-text style), go through
pandoc's citeproc whole. `--citeproc` also turns off the writer's `citations` extension (pandoc
#10662), which a filter cannot: galley asks for `typst-citations`, the one writer it uses that
reads that extension.
]]
PANDOC_VERSION:must_be_at_least '3.1'

-- The metadata citeproc reads (getStyle, getCiteprocLang, getReferences, processCitations).
local CITEPROC_FIELDS = {
  'bibliography', 'citation-abbreviations', 'citation-style', 'csl', 'lang', 'link-bibliography',
  'link-citations', 'locale', 'nocite', 'notes-after-punctuation', 'reference-section-title',
  'references', 'suppress-bibliography',
}
-- Closes the skeleton, so that what citeproc appends after it is the bibliography as it would
-- end this document (unless the document ends with a heading, handled in `insert_bibliography`).
local END = pandoc.HorizontalRule()

local function holds_citation(value)
  local found = false
  pandoc.Pandoc({}, { value = value }):walk { Cite = function() found = true end }
  return found
end

local function truish(value)
  if type(value) == 'boolean' then return value end
  if value == nil then return false end
  local text = pandoc.utils.stringify(value):lower()
  return text == 't' or text == 'true' or text == 'yes'
end

local function resets_positions(el)
  return el.classes:includes('reset-citation-positions')
end

-- Whether a heading or div in `inlines` (a note's, the only inline holding blocks) resets them.
local function resets_positions_in(inlines)
  local found = false
  local function check(el) found = found or resets_positions(el) end
  inlines:walk { Header = check, Div = check }
  return found
end

local function is_refs(div)
  local id = div.identifier
  return id == 'refs' or id:sub(-6) == '__refs'
end

local function plain_quote_span(span)
  if span.identifier == '' and #span.classes == 1 and span.classes[1] == 'csl-quoted'
      and #span.attributes == 0 then
    return pandoc.Span(span.content)
  end
end

-- What the walks after the citations change: `#refs` divs (filled) and `csl-quoted` spans
-- (made plain). Each is a walk of the whole document, taken only when `doc` or a part the
-- citations bring has one. And whether `doc` holds a citation.
-- Top-down, like the other walks here that only look (in whatever order): one pass through
-- blocks and inlines both, where a bottom-up walk makes one for each.
local function changed_after(doc)
  local found = { refs = 0, quoted = false, cites = false }
  doc:walk {
    traverse = 'topdown',
    Cite = function() found.cites = true end,
    Div = function(div) if is_refs(div) then found.refs = found.refs + 1 end end,
    Span = function(span) found.quoted = found.quoted or plain_quote_span(span) ~= nil end,
  }
  return found
end

-- Each citation of the body, in document order; one inside another travels with it. And what
-- `changed_after` finds in the body outside them (inside, the rendered citations replace them),
-- and whether a heading or div resets citation positions (`found.resets`), inside them too.
local function body_citations(blocks)
  local citations = pandoc.List()
  local found = { refs = 0, quoted = false, resets = false }
  blocks:walk {
    traverse = 'topdown',
    Cite = function(cite)
      citations:insert(cite)
      return nil, false
    end,
    Header = function(header) found.resets = found.resets or resets_positions(header) end,
    Div = function(div)
      found.resets = found.resets or resets_positions(div)
      if is_refs(div) then found.refs = found.refs + 1 end
    end,
    Span = function(span) found.quoted = found.quoted or plain_quote_span(span) ~= nil end,
  }
  found.resets = found.resets or resets_positions_in(pandoc.Inlines(citations))
  return citations, found
end

-- `meta_cites`: whether the metadata holds a citation at all (most hold none: no field is
-- walked then).
local function skeleton(doc, citations, meta_cites)
  local meta = {}
  for _, field in ipairs(CITEPROC_FIELDS) do meta[field] = doc.meta[field] end
  for field, value in pairs(meta_cites and doc.meta or {}) do
    if holds_citation(value) then meta[field] = value end
  end
  local blocks = citations:map(function(cite) return pandoc.Para { cite } end)
  blocks:insert(END)
  return pandoc.Pandoc(blocks, meta)
end

local function read_file(path)
  local handle = io.open(path, 'rb')
  if not handle then return nil end
  local contents = handle:read('a')
  handle:close()
  return contents
end

local function write_file(path, contents)
  local partial = path .. '.part' .. tostring(math.random(1 << 30))
  local handle = assert(io.open(partial, 'wb'))
  handle:write(contents)
  handle:close()
  assert(os.rename(partial, path))
end

-- A cited work's fields with every pandoc element made its text (pandoc.utils.stringify), for
-- JSON: what citation-meta.lua reads of a work.
local function as_text(value)
  local kind = pandoc.utils.type(value)
  if kind == 'Inlines' or kind == 'Inline' or kind == 'Blocks' or kind == 'Block' then
    return pandoc.utils.stringify(value)
  elseif type(value) == 'table' then
    local text = {}
    for key, item in pairs(value) do text[key] = as_text(item) end
    return text
  elseif type(value) == 'number' then
    return pandoc.utils.stringify(value)  -- 2001, not JSON's 2001.0
  end
  return value
end

-- The skeletons rendered in this Lua state, by key (`rendered`), and what each brings
-- (`brought_by`). package.loaded is the state's, where each file's globals are its own
-- (pipeline.lua).
local in_this_run = package.loaded['galley.citations.rendered'] or {}
package.loaded['galley.citations.rendered'] = in_this_run

-- The skeleton rendered, from the folder when a format before this one rendered the same one;
-- and its key, under which the format that rendered it may have written its cited works
-- (`works-<key>.json`).
--
-- The format that renders the citations while others wait for them (GALLEY_CITATIONS_READY)
-- writes that file too: the HTML page's citation tags list the cited works, and the page's run
-- would otherwise read the bibliography again, where a first reading of BibTeX costs pandoc
-- some 30 ms (its BibTeX reader's start-up) and a second, here, 7 ms.
--
-- When one run writes several formats (pipeline.lua), their chains share a Lua state: a
-- skeleton rendered or read by an earlier chain is taken from `in_this_run`, already read (a
-- reading of the file costs 2-3 ms, and what was read is copied into Lua again).
local function rendered(folder, sketch)
  local json = pandoc.write(sketch, 'json')
  local key = pandoc.utils.sha1(json)
  if in_this_run[key] then return in_this_run[key], key end
  local path = folder .. '/citations-' .. key .. '.json'
  local kept = read_file(path)
  if kept then
    in_this_run[key] = pandoc.read(kept, 'json')
    return in_this_run[key], key
  end
  local result = pandoc.utils.citeproc(sketch)
  in_this_run[key] = result
  if (os.getenv('GALLEY_CITATIONS_READY') or '') ~= '' then  -- others wait for it
    local works = pandoc.json.encode(as_text(pandoc.utils.references(sketch)))
    write_file(folder .. '/works-' .. key .. '.json', works)
  end
  write_file(path, pandoc.write(result, 'json'))
  return result, key
end

local function is_note(inline)
  return inline.t == 'Note' or inline.t == 'Superscript'
end

local function is_spacy(inline)
  return inline.t == 'Space' or inline.t == 'SoftBreak'
end

-- Whether a rendered citation can change the inlines around it (`mvPunct`): one rendered as a
-- single note or superscript, or whose text ends with ".".
local function moves_punctuation(cite)
  local content = cite.content
  return (#content == 1 and is_note(content[1]))
    or pandoc.utils.stringify(content):sub(-1) == '.'
end

-- What the rendered skeleton brings, its blocks split into the citations (`cited`) and the
-- bibliography (`appended`): what `changed_after` finds in the citations and the metadata, and
-- whether a citation among its blocks moves punctuation (`moves`). The bibliography, long and
-- without `#refs` divs, is walked once for both, and only when one is still unknown (`quoted`:
-- a `csl-quoted` span is known in the body or metadata).
local function brought_by(result, cited, appended, quoted)
  local found = changed_after(pandoc.Pandoc({}, result.meta))
  found.moves = false
  local function cite(el) found.moves = found.moves or moves_punctuation(el) end
  local function span(el) found.quoted = found.quoted or plain_quote_span(el) ~= nil end
  cited:walk {
    traverse = 'topdown',
    Cite = cite,
    Div = function(div) if is_refs(div) then found.refs = found.refs + 1 end end,
    Span = span,
  }
  if not (found.moves and (quoted or found.quoted)) then
    appended:walk { traverse = 'topdown', Cite = cite, Span = span }
  end
  return found
end

-- mvPunct as pandoc runs it when notes do not move (an in-text style); nil when nothing moves.
local function drop_punctuation_spaces(inlines)
  local out = pandoc.List()
  local changed = false
  local i, n = 1, #inlines
  while i <= n do
    local x = inlines[i]
    local s, cite = inlines[i + 1], inlines[i + 2]
    if is_spacy(x) then
      out:insert(x)
      i = i + 1
    elseif s and cite and is_spacy(s) and cite.t == 'Cite' and #cite.content == 1
        and is_note(cite.content[1]) then
      out:insert(x)
      out:insert(cite)
      i = i + 3
      changed = true
    elseif x.t == 'Cite' and s and s.t == 'Str' and s.text == '.'
        and pandoc.utils.stringify(x.content):sub(-1) == '.' then
      out:insert(x)
      i = i + 2
      changed = true
    else
      out:insert(x)
      i = i + 1
    end
  end
  if changed then return out end
end

local function add_unique(list, items, same)
  for _, item in ipairs(items) do
    local present = false
    for _, existing in ipairs(list) do
      if same(existing, item) then present = true end
    end
    if not present then list:insert(item) end
  end
end

local function same_text(a, b) return a == b end
local function same_pair(a, b) return a[1] == b[1] and a[2] == b[2] end

-- The number of `#refs` divs among `blocks` themselves (not inside them).
local function top_level_refs(blocks)
  local count = 0
  for _, block in ipairs(blocks) do
    if block.t == 'Div' and is_refs(block) then count = count + 1 end
  end
  return count
end

-- insertRefs, with what citeproc appended to the skeleton after END. `refs`: the number of
-- `#refs` divs in the body, and in the metadata or the rendered citations (`refs.elsewhere`):
-- when every one is a block of the body's top level, they are filled there, without a walk.
local function insert_bibliography(doc, appended, refs)
  if #appended == 0 then return doc end
  local bibliography = appended[#appended]
  local filled = false
  local function fill(div)
    if not is_refs(div) then return nil end
    filled = true
    local classes = pandoc.List(div.classes)
    add_unique(classes, bibliography.classes, same_text)
    local pairs_ = pandoc.List()
    for key, value in pairs(div.attributes) do pairs_:insert({ key, value }) end
    local added = pandoc.List()
    for key, value in pairs(bibliography.attributes) do added:insert({ key, value }) end
    add_unique(pairs_, added, same_pair)
    div.classes = classes
    div.attributes = pairs_
    div.content:extend(bibliography.content)
    return div
  end
  if refs.elsewhere == 0 and refs.body > 0 and top_level_refs(doc.blocks) == refs.body then
    local blocks = doc.blocks
    for i, block in ipairs(blocks) do
      if block.t == 'Div' then blocks[i] = fill(block) or block end
    end
    doc.blocks = blocks
  elseif refs.elsewhere + refs.body > 0 then
    doc = doc:walk { Div = fill }
  end
  if filled then return doc end
  local last = doc.blocks[#doc.blocks]
  if #appended == 1 and last and last.t == 'Header' then
    local classes = pandoc.List { 'unnumbered' }
    classes:extend(last.classes:filter(function(c) return c ~= 'unnumbered' end))
    last.classes = classes
    doc.blocks[#doc.blocks] = last
  end
  doc.blocks:extend(appended)
  return doc
end

-- Tells galley that the first format to render the citations has rendered them: a byte on the
-- pipe named by GALLEY_CITATIONS_READY, which only that format's run has. galley then closes the
-- pipe the other formats wait on (`wait_for_first`).
local function release()
  local ready = os.getenv('GALLEY_CITATIONS_READY')
  if not ready or ready == '' then return end
  local handle = io.open(ready, 'wb')
  if handle then
    handle:write('.')
    handle:close()
  end
end

-- A format after the first reads the pipe named by GALLEY_CITATIONS_GATE to its end, which
-- comes once the first has rendered the citations, so that it reads them instead.
local function wait_for_first()
  local gate = os.getenv('GALLEY_CITATIONS_GATE')
  if not gate or gate == '' then return end
  local handle = io.open(gate, 'rb')
  if handle then
    handle:read('a')
    handle:close()
  end
end

function Pandoc(doc)
  local folder = os.getenv('GALLEY_CITATIONS')
  if not folder or folder == '' then return pandoc.utils.citeproc(doc) end
  local citations, body = body_citations(doc.blocks)
  if truish(doc.meta['notes-after-punctuation']) or body.resets then
    release()  -- each format renders its own
    return pandoc.utils.citeproc(doc)
  end
  local meta = changed_after(pandoc.Pandoc({}, doc.meta))
  local sketch = skeleton(doc, citations, meta.cites)
  wait_for_first()
  local result, key = rendered(folder, sketch)
  release()
  -- For citation-meta.lua, on the page that lists the cited works in its tags (as it decides):
  -- the key of their file in the folder, which it alone names.
  if FORMAT:match('html') and doc.meta['galley-citation-meta'] then
    doc.meta['galley-cited-works'] = key
  end
  for field, value in pairs(result.meta) do
    if holds_citation(sketch.meta[field]) then doc.meta[field] = value end
  end
  local k = 0
  if #citations > 0 then
    doc.blocks = doc.blocks:walk {
      traverse = 'topdown',
      Cite = function()
        k = k + 1
        return result.blocks[k].content[1], false
      end,
    }
  end
  local cited, appended = pandoc.Blocks {}, pandoc.Blocks {}
  for i = 1, #citations do cited:insert(result.blocks[i]) end
  for i = #citations + 2, #result.blocks do appended:insert(result.blocks[i]) end
  local quoted = body.quoted or meta.quoted
  -- What it brings depends on the skeleton (its key) and `quoted` alone: found once a run.
  local known = 'brought ' .. key .. (quoted and ' quoted' or '')
  in_this_run[known] = in_this_run[known] or brought_by(result, cited, appended, quoted)
  local brought = in_this_run[known]
  if brought.moves then
    doc.blocks = doc.blocks:walk { Inlines = drop_punctuation_spaces }
  end
  doc = insert_bibliography(doc, appended, { body = body.refs, elsewhere = meta.refs + brought.refs })
  if not (body.quoted or meta.quoted or brought.quoted) then return doc end
  return doc:walk { Span = plain_quote_span }
end
