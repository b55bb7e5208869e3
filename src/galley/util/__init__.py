"""Plumbing every layer stands on: atomic writes, text files, JSON caches, the project lock, external tools, warnings and findings."""
