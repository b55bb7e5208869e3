"""The one reading of the manuscript that every command stands on: the sources (includes
expanded, with a map back to each file and line), the front matter, the bibliography, and the
citations and cross-references, which pandoc's own reader decides."""
