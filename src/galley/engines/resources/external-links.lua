--[[
external-links.lua: a link that leaves the page's folder opens without handing over the page.

Every link to another host (http, https, or protocol-relative) gets rel="noopener noreferrer",
so the target learns nothing about where the reviewer came from and cannot script the page.
HTML only; links added by citeproc (DOIs, URLs in the reference list) are covered too, as this
filter runs after --citeproc.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local function is_external(target)
  return target:match('^[Hh][Tt][Tt][Pp][Ss]?://') ~= nil or target:sub(1, 2) == '//'
end

function Link(link)
  if not FORMAT:match('html') or not is_external(link.target) then return nil end
  link.attributes.rel = 'noopener noreferrer'
  return link
end
