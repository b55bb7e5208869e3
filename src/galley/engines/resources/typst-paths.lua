--[[
typst-paths.lua: image paths for Typst, as Quarto writes them in its .typ (loaded with dofile by
typst-alt.lua, whose walk gives each image its path: not a filter itself).

Each local image keeps the path the author wrote, relative to the article; galley writes the
.typ in a staging folder that mirrors the project, with the article's local files linked at
their places (galley.engines.typst_files), so the path resolves there as beside the article.

An image Typst could not read becomes its description (Typst would stop at it, while the HTML
shows the alt text and Word a placeholder); the build has warned about it already. That is a
file that does not exist, or one outside the project: galley reads nothing there, so the image
is not among the files local-files.lua put in the media bag, which are the only ones linked in.

An image given as a `data:` URI is written to a file beside the .typ (Typst reads files only).
]]
PANDOC_VERSION:must_be_at_least '3.1'

-- Whether Typst can read the image: a URL is Typst's to refuse; a local file must be in the
-- media bag (looked up by the path as pandoc read it).
local function exists(src)
  if src:match('^%a[%w+.-]*:') and not src:match('^file:') then return true end
  return pandoc.mediabag.lookup(src) ~= nil
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

-- The image with its path for Typst, or a span of its description.
return function(image)
  if image.src:match('^data:') then
    image.src = data_file(image.src) or image.src
    return image
  end
  if not exists(image.src) then
    return pandoc.Span(image.caption, { class = 'galley-missing-image' })
  end
  image.src = unescape(image.src)
  return image
end
