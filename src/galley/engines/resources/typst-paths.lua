--[[
typst-paths.lua: image paths for Typst, as Quarto writes them in its .typ.

Each local image keeps the path the author wrote, relative to the article; galley writes the
.typ in a staging folder that mirrors the project, with the article's local files linked at
their places (galley.engines.typst_files), so the path resolves there as beside the article.
A path that starts with "/" is resolved by Typst against the compile root, the project folder.

An image whose file does not exist becomes its description (Typst would stop at it, while the
HTML shows the alt text and Word a placeholder); the build has warned about it already.
Pandoc runs in the article's folder, so a path is looked up from there.
Needs the metadata field `galley-article-dir`: the article's folder relative to the project.

An image given inline as a `data:` URI is written to a file beside the .typ (Typst reads
images from files only).
]]
PANDOC_VERSION:must_be_at_least '3.1'

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
      return image
    end,
  }
end
