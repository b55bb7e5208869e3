"""`broken-link` and `redirected-link`: every http(s) address in the manuscript, its includes and
notebooks, and the bibliography (`url`, and `doi` through the DOI resolver), checked over the
network, with results cached in `.galley/cache/links.json` for `ttl` seconds."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from collections.abc import Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

from rich.progress import Progress

from galley.check.config import LinkConfig
from galley.check.entries import DOI
from galley.check.links import Result, check_urls, reachable
from galley.errors import ConfigError
from galley.reading.bibliography import Entry
from galley.reading.documents import Document
from galley.reading.markdown import LineIndex
from galley.util import json_cache as cache
from galley.util.findings import Finding

T = TypeVar("T")
MAYBE_STR = cache.OneOf((str, type(None)))
# Each URL's `Result` as `asdict` wrote it, and when it was checked.
SHAPE = cache.Map(
    cache.Record(
        {
            "url": str, "status": cache.OneOf((int, type(None))), "error": MAYBE_STR,
            "moved_to": MAYBE_STR, "missing_anchor": bool, "transient": bool,
            "unconnected": bool, "checked": float,
        }
    )
)  # fmt: skip
URL = re.compile(r"\bhttps?://[^\s<>\"'`\]\[{}|\\^]+")
TRAILING = ".,;:!?*_~"


@dataclass(frozen=True)
class LinkUse:
    url: str
    path: str
    line: int
    cell: int | None = None
    shown: str | None = None  # what the author wrote, when the address checked differs (a DOI)


def _trim(url: str) -> str:
    while url and (url[-1] in TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url


def document_urls(documents: Iterable[Document]) -> list[LinkUse]:
    uses = []
    for document in documents:
        index = LineIndex(document.masked.text)
        for match in URL.finditer(document.masked.text):
            line = index.position(match.start())[0]
            uses.append(LinkUse(_trim(match[0]), document.rel, line, document.cell))
    return uses


def entry_urls(entries: Iterable[Entry], resolver: str) -> list[LinkUse]:
    uses = []
    for entry in entries:
        url = entry.fields.get("url", "")
        if url.startswith(("http://", "https://")):
            uses.append(LinkUse(url, entry.path, entry.where("url")))
        doi = entry.fields.get("doi", "")
        if DOI.match(doi):
            uses.append(LinkUse(resolver + doi, entry.path, entry.where("doi"), shown=f"doi {doi}"))
    return uses


def _cached(path: Path, ttl: float) -> tuple[dict[str, dict[str, object]], dict[str, Result]]:
    """The cache's records still within their time-to-live, and their results."""
    now = time.time()
    valid = {
        url: record
        for url, record in cache.load(path, SHAPE).items()
        if now - float(record["checked"]) < ttl
    }
    results = {
        url: Result(**{k: v for k, v in r.items() if k != "checked"}) for url, r in valid.items()
    }
    return valid, results


def _run_loop(work: Coroutine[Any, Any, T]) -> T:
    """Run the checker's event loop, also when the caller already runs one (a notebook, or
    Playwright's sync API in the same thread): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


def _run(urls: list[str], config: LinkConfig) -> dict[str, Result]:
    # A progress bar for people at a terminal; CI logs get nothing.
    if not urls or not sys.stderr.isatty() or os.environ.get("CI"):
        return _run_loop(check_urls(urls, config))
    with Progress(transient=True) as progress:
        task = progress.add_task("checking links", total=len(urls))
        return _run_loop(check_urls(urls, config, lambda: progress.advance(task)))


def check_links(root: Path, uses: list[LinkUse], config: LinkConfig) -> list[Finding]:
    uses = [u for u in uses if not any(u.url.startswith(prefix) for prefix in config.exclude)]
    path = cache.cache_path(root, "links.json")
    valid, known = _cached(path, config.ttl)
    todo = sorted({u.url for u in uses} - set(known))
    fresh = _run(todo, config)
    _require_network(fresh, config)
    now = time.time()
    records = {url: {**asdict(r), "checked": now} for url, r in fresh.items() if not r.transient}
    if records:
        cache.save(path, {**valid, **records})
    results = {**known, **fresh}
    return [f for use in uses if (f := _finding(use, results[use.url])) is not None]


def _require_network(results: dict[str, Result], config: LinkConfig) -> None:
    """Every address failing to connect is most likely no network at all: when the DOI resolver
    does not answer either, say that once rather than call every link broken."""
    if not results or not all(r.unconnected for r in results.values()):
        return
    if _run_loop(reachable(config.doi_resolver, config)):
        return
    first = next(iter(results.values()))
    raise ConfigError(
        f"the network is unreachable: none of the {len(results)} addresses could be connected "
        f"to, nor {config.doi_resolver} ({first.error}); connect to the network and run "
        "`galley check --links` again, or check without `--links`"
    )


def _finding(use: LinkUse, result: Result) -> Finding | None:
    what = use.shown or use.url
    if result.error is not None:
        return Finding(
            "broken-link",
            use.path,
            use.line,
            f"{what} is broken: {result.error}",
            "correct or replace the address, or use an archived copy (web.archive.org)",
            url=use.url,
            cell=use.cell,
        )
    if result.missing_anchor:
        return Finding(
            "missing-anchor",
            use.path,
            use.line,
            f"{what}: the page has no element with the id after `#`",
            "correct the fragment after `#`",
            url=use.url,
            cell=use.cell,
        )
    if result.moved_to is not None and use.shown is None:
        return Finding(
            "redirected-link",
            use.path,
            use.line,
            f"{what} has moved permanently to {result.moved_to}",
            f"replace it with {result.moved_to}",
            url=use.url,
            cell=use.cell,
        )
    return None
