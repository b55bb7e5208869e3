--[[
typst-math.lua: math symbols under the names the Typst galley runs knows.

Pandoc's Typst writer names a math symbol from texmath's table, which follows an older Typst:
`\cap` is `sect`, `\otimes` is `times.circle`, and Typst 0.15 stops on them ("unknown variable:
sect", "unknown symbol modifier") or warns (`lt.tri`, `tack.r.double`, `join`). Each math
element is written as pandoc writes it, and where it holds such a name the Typst code is kept
with Typst's name for the same character (or the character itself, where Typst has no name).
The table is the full list for pandoc 3.9 and Typst 0.15, from `tools/typst_math_names.py`.

Every equation also gets its TeX source as its alt text (`math.equation(alt: ...)`): PDF/UA-1
requires one for each formula, inline or display, and Typst refuses the tagged PDF without it
("missing alt text"). A numbered equation already has one from equations.lua (the author's
`alt="..."`, else its TeX), which writes it as `#math.equation(..., [ $ ... $ ])` in a span
`galley-equation`; the math inside is left as it is (Typst asks alt text of the outer equation
only).
]]
PANDOC_VERSION:must_be_at_least '3.1'

local RENAMED = {
  ["Kai"] = "Ϗ",
  ["angle.oblique"] = "angle.obtuse",
  ["angle.right.sq"] = "angle.right.square",
  ["angle.spheric.top"] = "angle.spheric.t",
  ["backslash.circle"] = "backslash.o",
  ["bar.v.circle"] = "bar.v.o",
  ["brace.l.double"] = "brace.l.stroked",
  ["brace.r.double"] = "brace.r.stroked",
  ["bracket.l.double"] = "bracket.l.stroked",
  ["bracket.r.double"] = "bracket.r.stroked",
  ["dash.circle"] = "dash.o",
  ["div.circle"] = "div.o",
  ["dot.circle"] = "dot.o",
  ["dot.circle.big"] = "dot.o.big",
  ["eq.circle"] = "eq.o",
  ["franc"] = "₣",
  ["gimmel"] = "gimel",
  ["gt.circle"] = "gt.o",
  ["gt.tri"] = "gt.closed",
  ["gt.tri.eq"] = "gt.closed.eq",
  ["gt.tri.eq.not"] = "gt.closed.eq.not",
  ["gt.tri.not"] = "gt.closed.not",
  ["integral.sect"] = "integral.inter",
  ["join"] = "bowtie.stroked.big",
  ["join.l"] = "bowtie.stroked.big.l",
  ["join.l.r"] = "bowtie.stroked.big.l.r",
  ["join.r"] = "bowtie.stroked.big.r",
  ["kai"] = "ϗ",
  ["lt.circle"] = "lt.o",
  ["lt.tri"] = "lt.closed",
  ["lt.tri.eq"] = "lt.closed.eq",
  ["lt.tri.eq.not"] = "lt.closed.eq.not",
  ["lt.tri.not"] = "lt.closed.not",
  ["minus.circle"] = "minus.o",
  ["parallel.circle"] = "parallel.o",
  ["paren.l.double"] = "paren.l.stroked",
  ["paren.r.double"] = "paren.r.stroked",
  ["perp.circle"] = "perp.o",
  ["planck.reduce"] = "planck",
  ["plus.circle.arrow"] = "plus.o.arrow",
  ["quote.angle.l.double"] = "quote.chevron.l.double",
  ["quote.angle.l.single"] = "quote.chevron.l.single",
  ["quote.angle.r.double"] = "quote.chevron.r.double",
  ["quote.angle.r.single"] = "quote.chevron.r.single",
  ["sect"] = "inter",
  ["sect.and"] = "inter.and",
  ["sect.big"] = "inter.big",
  ["sect.dot"] = "inter.dot",
  ["sect.double"] = "inter.double",
  ["sect.sq"] = "inter.sq",
  ["sect.sq.big"] = "inter.sq.big",
  ["sect.sq.double"] = "inter.sq.double",
  ["shell.l.double"] = "shell.l.stroked",
  ["shell.r.double"] = "shell.r.stroked",
  ["shin"] = "ש",
  ["tack.b.double"] = "tack.bb",
  ["tack.l.double"] = "tack.ll",
  ["tack.r.double"] = "tack.rr",
  ["tack.r.double.not"] = "tack.rr.not",
  ["tack.t.double"] = "tack.tt",
  ["times.circle"] = "times.o",
  ["times.circle.big"] = "times.o.big",
}

-- A name in math code (`sect.big`, with the dot of a sentence left after it), renamed; not a
-- name after `#` (code).
local function rename(code)
  local changed = false
  local out = code:gsub('()([%a][%w%.]*)', function(at, token)
    if at > 1 and code:sub(at - 1, at - 1) == '#' then return nil end
    local name, dots = token:match('^(.-)(%.*)$')
    local new = RENAMED[name]
    if new == nil then return nil end
    changed = true
    return new .. dots
  end)
  return out, changed
end

-- The math's Typst code with every name outside its strings ("...", text in math) renamed.
local function renamed_math(written)
  local parts, changed, position = {}, false, 1
  while position <= #written do
    local quote = written:find('"', position, true)
    local code = written:sub(position, (quote or #written + 1) - 1)
    local fixed, any = rename(code)
    parts[#parts + 1], changed = fixed, changed or any
    if not quote then break end
    local close = quote + 1
    while close <= #written and written:sub(close, close) ~= '"' do
      close = close + (written:sub(close, close) == '\\' and 2 or 1)
    end
    parts[#parts + 1] = written:sub(quote, close)
    position = close + 1
  end
  return table.concat(parts), changed
end

-- Visit every math element in document order with whether it is an equation of its own: the
-- math of a numbered equation (equations.lua's span `galley-equation`) is not. A topdown walk
-- meets them in the order they are written; `visit` returns the element's replacement or nil.
local function each_math(doc, visit)
  return doc:walk {
    traverse = 'topdown',
    Span = function(span)
      if not span.classes:includes('galley-equation') then return nil end
      return span:walk { Math = function(math) return visit(math, false) end }, false
    end,
    Math = function(math) return visit(math, true) end,
  }
end

-- Every math element written in one go (a pandoc.write each would cost a millisecond apiece:
-- seconds for a book), one paragraph each, in document order; the same order the second walk
-- meets them in.
local function written_math(doc)
  local paragraphs = pandoc.Blocks {}
  each_math(doc, function(math) paragraphs:insert(pandoc.Para { math }) end)
  if #paragraphs == 0 then return nil end
  local options = { wrap_text = 'wrap-none' }
  local written = pandoc.write(pandoc.Pandoc(paragraphs), 'typst', options)
  local parts = {}
  for part in (written:gsub('%s+$', '') .. '\n\n'):gmatch('(.-)\n\n') do parts[#parts + 1] = part end
  return #parts == #paragraphs and parts or nil
end

local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

-- The TeX as typed, on one line: what a screen reader reads for the formula.
local function tex_alt(math)
  return (math.text:gsub('%s+', ' '):gsub('^ ', ''):gsub(' $', ''))
end

-- `$ ... $` as an equation with its alt text; the `;` ends the call, so that text written
-- right after the math (`(`, `[`, `.x`) stays text.
local function described(math, code)
  local block = math.mathtype == 'DisplayMath' and 'true' or 'false'
  return '#math.equation(block: ' .. block .. ', alt: ' .. typst_string(tex_alt(math)) .. ', '
    .. code .. '.body);'
end

function Pandoc(doc)
  if FORMAT ~= 'typst' then return nil end
  local parts = written_math(doc)
  if parts == nil then return nil end
  local index = 0
  return each_math(doc, function(math, own)
    index = index + 1
    local code, renamed = renamed_math(parts[index])
    -- Math texmath cannot read is written as its TeX in text (`\$...\$`): no equation.
    if own and code:match('^%$.*%$$') then return pandoc.RawInline('typst', described(math, code)) end
    if renamed then return pandoc.RawInline('typst', code) end
  end)
end
