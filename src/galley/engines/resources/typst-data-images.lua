--[[
typst-data-images.lua: an image given as a `data:` URI (such as `{{< placeholder >}}`) embedded
in the Typst output as bytes, since Typst reads images from files only.

SVG data goes in as a Typst string; other images are left to Typst (and fail there with its
own message) rather than turned into a long escaped byte array.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local function typst_string(text)
  return '"' .. text:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', '\\n'):gsub('\r', '') .. '"'
end

local function embedded(image)
  if not image.src:match('^data:image/svg%+xml') then return nil end
  local _, contents = pandoc.mediabag.fetch(image.src)
  local args = { 'bytes(' .. typst_string(contents) .. ')', 'format: "svg"' }
  local alt = pandoc.utils.stringify(image.caption)
  if alt ~= '' then
    args[#args + 1] = 'alt: ' .. typst_string(alt)
  end
  return pandoc.RawInline('typst', '#box(image(' .. table.concat(args, ', ') .. '))')
end

return { { Image = embedded } }
