"""`galley check`: citations, bibliography, cross-references and links, one module per rule
family; `run_checks` puts them together."""
