"""All the rules over one project: read the sources and the bibliography once, run each rule
family, and return the findings in file and line order."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from galley.check import render
from galley.check.accessibility import document_findings
from galley.check.config import check_config, declared_outputs, link_config
from galley.check.crossrefs import crossref_findings
from galley.check.entries import ENTRY_RULES, duplicate_entries
from galley.check.generated import data_markup
from galley.check.keys import missing_keys, unused_entries
from galley.check.localfiles import rendered_links, source_links
from galley.check.prose import author_families, prose_citations
from galley.check.shortcodes import shortcode_findings
from galley.check.urls import check_links, document_urls, entry_urls
from galley.errors import ConfigError
from galley.project import Project
from galley.reading import bibliography
from galley.reading.citations import nocite_keys
from galley.reading.documents import Corpus, load_corpus
from galley.reading.uses import CACHE, Use, read_uses
from galley.util import json_cache
from galley.util.findings import Finding


def read_bibliographies(project: Project) -> bibliography.Bibliography:
    parts = []
    for path in project.bibliographies:
        if path.suffix.lower() != ".bib":
            raise ConfigError(
                f"galley checks BibTeX/BibLaTeX (.bib) bibliographies; convert `{project.rel(path)}`"
                " with `pandoc -t biblatex`",
                path="_quarto.yml",
            )
        parts.append(
            bibliography.parse_bibliography(bibliography.read_text(path), project.rel(path))
        )
    return bibliography.merge(parts)


def _rules(
    project: Project,
    corpus: Corpus,
    uses: list[Use],
    bib: bibliography.Bibliography,
    outputs: set[Path],
) -> list[Finding]:
    """Every rule but `unrenderable-entry` and the link checks: the sources and the entries."""
    entries = list(bib.entries)
    findings = list(corpus.findings) + list(bib.findings)
    citations = [use for use in uses if use.kind == "citation"]
    findings += missing_keys(citations, (e.key for e in entries))
    findings += unused_entries(
        ((e.key, e.path, e.line) for e in entries),
        (u.key for u in citations),
        nocite_keys({**project.config, **corpus.front_matter}),
    )
    for entry in entries:
        for rule in ENTRY_RULES:
            findings += rule(entry)
    findings += duplicate_entries(entries)
    known = author_families(entries)
    for document in corpus.documents:
        findings += prose_citations(document.masked.text, document.rel, entries, known)
    findings += crossref_findings(corpus.documents, uses, corpus.pending)
    findings += shortcode_findings(project, corpus.documents, corpus.front_matter, outputs)
    findings += source_links(project, list(corpus.documents), outputs)
    findings += rendered_links(project)
    findings += document_findings(corpus.documents)
    findings += data_findings(project)
    findings += data_markup(project, corpus.documents)
    return findings


def data_findings(project: Project) -> list[Finding]:
    """The rows of the declared data, checked by the validator `build` uses before its steps."""
    from galley.steps.data import data_problems

    findings = []
    for problem in data_problems(project):
        # The validator words each problem "what is wrong; what to do", as a finding splits it.
        message, split, fix = problem.message.rpartition("; ")
        if not split:
            message, fix = fix, ""
        findings.append(Finding("bad-data", problem.path, problem.line, message, fix))
    return findings


def run_checks(project: Project, *, links: bool = False) -> list[Finding]:
    settings = check_config(project)
    link_settings = link_config(project)  # read even offline: a typo there is an error anyway
    outputs = declared_outputs(project)
    corpus = load_corpus(project, outputs, settings.excluded_files(project.root))
    with ThreadPoolExecutor() as background:
        # pandoc reads the citations (a process of its own) while bibtexparser reads the .bib.
        reading = background.submit(read_uses, corpus, json_cache.cache_path(project.root, CACHE))
        bib = read_bibliographies(project)
        uses = reading.result()
        cited = {u.key for u in uses if u.kind == "citation"} | set(
            nocite_keys({**project.config, **corpus.front_matter})
        )
        # pandoc turns the bibliographies into CSL JSON while the rules run. Only the cited
        # entries (an uncited one is an `unused-entry` already): a 50 MB bibliography would
        # otherwise take pandoc gigabytes and citeproc-py minutes.
        keys = None if "*" in cited else cited
        # pandoc cannot read a file with a `bib-syntax` finding either (that finding says why),
        # and may take minutes and gigabytes trying (@strings that double): it is not asked.
        unparsed = {f.path for f in bib.findings if f.rule == "bib-syntax"}
        csl = {
            path: background.submit(render.csl_items, path, keys)
            for path in project.bibliographies
            if project.rel(path) not in unparsed
        }
        findings = _rules(project, corpus, uses, bib, outputs)
        items = [future.result() for future in csl.values()]
    # Rendering forks worker processes: only once the conversion threads have ended.
    by_key = {e.key: e for e in bib.entries}
    for part in items:
        findings += render.unrenderable_entries(part, by_key, project.root)
    if links:
        urls = document_urls(corpus.documents) + entry_urls(bib.entries, link_settings.doi_resolver)
        findings += check_links(project.root, urls, link_settings)
    kept = [f for f in findings if f.rule not in settings.disable]
    return sorted(set(kept), key=lambda f: f.sort_key())
