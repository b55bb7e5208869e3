--[[
paragraph-numbers.lua: number the body's paragraphs for review (`galley build --profile review`).

Runs only when the metadata flag `galley-paragraph-numbers` is true. Paragraphs of the body are
numbered 1, 2, 3... in document order: top-level paragraphs and those in plain divs, but not
captions, table cells, list items, the reference list or the DOCX title block's styled divs.
Every format shows the same number:
- HTML: the paragraph is wrapped in <div id="p-N" class="numbered-para"> with a "¶N" permalink
  in the margin, so "#p-12" links to paragraph 12;
- Typst (PDF): "¶N" in the right margin beside the paragraph's first line, drawn by a zero-width
  box inside the paragraph (a `#place` would stand before the paragraph, and stay at the foot of
  a page when the paragraph moves on to the next);
- DOCX: a leading "¶N" run in the character style "Paragraph Number".
]]
PANDOC_VERSION:must_be_at_least '3.1'

local count = 0

-- Defined once before the body, so it works in galley's template and in Quarto's. The mark is
-- moved from where its box sits (the first line's start) to just past the right margin.
local TYPST_MARK = [[
#let galley-paragraph-mark(label) = box(width: 0pt, context {
  let m = page.margin
  if type(m) == dictionary { m = m.at("right", default: m.at("outside", default: auto)) }
  let margin = if m == auto { 2.5 / 21 * calc.min(page.width, page.height) } else if type(m) == length { m } else { m.ratio * page.width + m.length }
  move(dx: page.width - margin - here().position().x + 0.5cm, text(size: 7.5pt, fill: luma(90), label))
})
]]

local function marker(n)
  local label = '¶' .. n
  if FORMAT:match('html') then
    return pandoc.Link(label, '#p-' .. n, '', { class = 'para-number', ['aria-label'] = 'Paragraph ' .. n })
  elseif FORMAT == 'typst' then
    return pandoc.RawInline('typst', '#galley-paragraph-mark[' .. label .. ']')
  end
  return pandoc.Span(label, { ['custom-style'] = 'Paragraph Number' })
end

local function number(para)
  count = count + 1
  local content = pandoc.Inlines { marker(count) }
  if FORMAT == 'docx' then content:insert(pandoc.Space()) end
  content:extend(para.content)
  if FORMAT:match('html') then
    return pandoc.Div(pandoc.Para(content), { id = 'p-' .. count, class = 'numbered-para' })
  end
  return pandoc.Para(content)
end

local function number_blocks(blocks)
  local out = pandoc.Blocks {}
  for _, block in ipairs(blocks) do
    if block.t == 'Para' then
      out:insert(number(block))
    elseif block.t == 'Div' and block.identifier ~= 'refs' and not block.attributes['custom-style'] then
      block.content = number_blocks(block.content)
      out:insert(block)
    else
      out:insert(block)
    end
  end
  return out
end

function Pandoc(doc)
  if not doc.meta['galley-paragraph-numbers'] then return nil end
  doc.blocks = number_blocks(doc.blocks)
  if FORMAT == 'typst' then doc.blocks:insert(1, pandoc.RawBlock('typst', TYPST_MARK)) end
  return doc
end
