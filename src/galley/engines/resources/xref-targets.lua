--[[
xref-targets.lua: how a construct's filter records its numbered targets for crossref.lua.

Loaded with dofile by callout.lua, theorem.lua, proof.lua and equations.lua, which run before
crossref.lua: each adds its targets to the metadata map `galley-xref` (label -> {kind, number,
prefix}), and crossref.lua turns `@label` into "Prefix number". Not a filter itself.
]]
PANDOC_VERSION:must_be_at_least '3.1'

local M = {}

-- Add `targets` (label -> {kind, number, prefix}) to `meta['galley-xref']`; without a prefix, crossref.lua
-- uses its kind's word (`eq-prefix`, in the document's language). `typst_figure`: the
-- targets are Typst figures of their kind, numbered in the same order, so crossref.lua #refs them.
function M.record(meta, targets, typst_figure)
  if next(targets) == nil then return meta end
  local map = meta['galley-xref'] or pandoc.MetaMap {}
  for label, entry in pairs(targets) do
    map[label] = pandoc.MetaMap {
      kind = pandoc.MetaString(entry.kind),
      number = pandoc.MetaString(entry.number),
      prefix = entry.prefix and pandoc.MetaString(entry.prefix) or nil,
      ['typst-figure'] = typst_figure or nil,
    }
  end
  meta['galley-xref'] = map
  return meta
end

return M
