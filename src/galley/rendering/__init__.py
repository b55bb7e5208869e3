"""What both engines share: render caches, preflight checks, the title block, languages, styles, includes, citation appendices."""
