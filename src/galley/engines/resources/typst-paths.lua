--[[
typst-paths.lua: make image paths absolute from the project root for Typst.

Typst resolves paths against the .typ file, which galley writes in a staging folder; paths that
start with "/" are resolved against the compile root (the project folder) instead.
Needs the metadata field `galley-article-dir`: the article's folder relative to the project.
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

function Pandoc(doc)
  local article_dir = pandoc.utils.stringify(doc.meta['galley-article-dir'] or '')
  return doc:walk {
    Image = function(image)
      image.src = from_root(article_dir, image.src)
      return image
    end,
  }
end
