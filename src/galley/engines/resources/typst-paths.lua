--[[
typst-paths.lua: make image paths absolute from the project root for Typst.

Typst resolves paths against the .typ file, which galley writes in a staging folder; paths that
start with "/" are resolved against the compile root (the project folder) instead.
Needs the metadata field `galley-article-dir`: the article's folder relative to the project.

An image whose file does not exist becomes its description (Typst would stop at it, while the
HTML shows the alt text and Word a placeholder); the build has warned about it already.
Pandoc runs in the article's folder, so a path is looked up from there.

An image given inline as a `data:` URI is written to a file beside the .typ (Typst reads
images from files only).
]]
PANDOC_VERSION:must_be_at_least '3.1'

local function from_root(article_dir, src)
  if src:match('^%a[%w+.-]*:') or src:sub(1, 1) == '/' then return src end
  local parts = {}
  for part in (article_dir .. '/' .. src):gmatch('[^/]+') do
    if part == '..' then
      table.remove(parts)
    elseif part ~= '.' then
      parts[#parts + 1] = part
    end
  end
  return '/' .. table.concat(parts, '/')
end

local function exists(article_dir, src)
  if src:match('^%a[%w+.-]*:') then return true end
  local path = src
  if src:sub(1, 1) == '/' then
    local _, depth = article_dir:gsub('[^/]+', '')
    path = string.rep('../', depth) .. src:sub(2)
  end
  local file = io.open(path, 'rb')
  if file == nil then return false end
  file:close()
  return true
end

local EXTENSIONS = { ['image/png'] = 'png', ['image/jpeg'] = 'jpg', ['image/gif'] = 'gif',
  ['image/svg+xml'] = 'svg', ['image/webp'] = 'webp' }

-- The file name, beside the .typ, of a `data:` image's bytes; nil if pandoc cannot decode it.
local function data_file(src)
  local ok, mime, contents = pcall(pandoc.mediabag.fetch, src)
  local extension = ok and mime and EXTENSIONS[mime:match('^[^;]+')]
  if not extension or not PANDOC_STATE.output_file then return nil end
  local name = 'galley-data-' .. pandoc.utils.sha1(contents) .. '.' .. extension
  local folder = pandoc.path.directory(PANDOC_STATE.output_file)
  local file = assert(io.open(pandoc.path.join { folder, name }, 'wb'))
  file:write(contents)
  file:close()
  return name
end

-- Pandoc writes a space in a path as %20 (`<my figure.png>`); Typst and the file system want it.
local function unescape(src)
  if src:match('^%a[%w+.-]*:') then return src end
  return (src:gsub('%%(%x%x)', function(hex) return string.char(tonumber(hex, 16)) end))
end

function Pandoc(doc)
  local article_dir = pandoc.utils.stringify(doc.meta['galley-article-dir'] or '')
  if article_dir == '.' then article_dir = '' end
  return doc:walk {
    Image = function(image)
      if image.src:match('^data:') then
        image.src = data_file(image.src) or image.src
        return image
      end
      image.src = unescape(image.src)
      if not exists(article_dir, image.src) then
        return pandoc.Span(image.caption, { class = 'galley-missing-image' })
      end
      image.src = from_root(article_dir, image.src)
      return image
    end,
  }
end
