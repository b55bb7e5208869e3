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

local function with_rel(link)
  if not is_external(link.target) then return nil end
  link.attributes.rel = 'noopener noreferrer'
  return link
end

-- No filter at all outside HTML: even a Link function that changes nothing costs a walk of the
-- whole document (about a second for a 100,000-word book).
if not FORMAT:match('html') then return {} end
-- Top-down: each link is changed alone, in whatever order, and a top-down walk of one inline
-- type costs less than a bottom-up one (about 0.3 ms of the article's run).
return { { traverse = 'topdown', Link = with_rel } }
