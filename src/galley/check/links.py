"""The link checker: many URLs at once over asyncio and httpx, polite to each host.

HEAD first, GET when the server refuses HEAD; redirects followed by hand (at most
`max_redirects`, loops caught, only http and https) so a permanent one can be reported with its
new address; 429 and 503 retried with backoff, honouring `Retry-After`; a timeout per request, a
deadline for the run, and never more than `max_bytes` of a body read (to look for a #fragment).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

from galley.check.config import LinkConfig

REDIRECTS = {301: True, 308: True, 302: False, 303: False, 307: False}  # status: permanent?
RETRY = {429, 503}
MAX_RETRY_WAIT = 30.0  # seconds; a longer Retry-After counts as a failure


@dataclass(frozen=True)
class Result:
    url: str
    status: int | None = None
    error: str | None = None  # why the link is broken; None when it works
    moved_to: str | None = None  # the final address after permanent redirects
    missing_anchor: bool = False
    transient: bool = False  # a timeout or connection failure: worth checking again next run
    unconnected: bool = False  # no connection could be made at all (host, proxy or network)

    @property
    def ok(self) -> bool:
        return self.error is None and not self.missing_anchor


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (tag == "a" and name == "name")):
                self.ids.add(value)


def _retry_after(response: httpx.Response, attempt: int) -> float:
    value = response.headers.get("retry-after", "")
    if value.strip().isdigit():
        return float(value)
    if value:
        try:
            return max(0.0, float(parsedate_to_datetime(value).timestamp()) - time.time())
        except (TypeError, ValueError):
            pass
    return float(0.5 * 2**attempt)


class Checker:
    def __init__(self, config: LinkConfig, client: httpx.AsyncClient) -> None:
        self.config, self.client = config, client
        self.everyone = asyncio.Semaphore(config.concurrency)
        self.hosts: dict[str, asyncio.Semaphore] = {}
        self.next_slot: dict[str, float] = {}

    async def _polite(self, host: str) -> None:
        delay = self.config.host(host).delay
        if delay <= 0:
            return
        now = time.monotonic()
        slot = max(now, self.next_slot.get(host, now))
        self.next_slot[host] = slot + delay
        await asyncio.sleep(slot - now)

    async def _send(self, method: str, url: str, read: bool) -> tuple[httpx.Response, bytes]:
        host = urlsplit(url).hostname or ""
        settings = self.config.host(host)
        semaphore = self.hosts.setdefault(host, asyncio.Semaphore(settings.per_host))
        async with self.everyone, semaphore:
            await self._polite(host)
            request = self.client.build_request(method, url, timeout=settings.timeout)
            response = await self.client.send(request, stream=True)
            body = b""
            try:
                if read:
                    async for chunk in response.aiter_bytes():
                        body += chunk
                        if len(body) >= self.config.max_bytes:
                            break
            finally:
                await response.aclose()
            return response, body

    async def _fetch(self, url: str, need_body: bool) -> tuple[httpx.Response, bytes]:
        """One address, HEAD then GET, retrying on 429 and 503."""
        method = "GET" if need_body else "HEAD"
        for attempt in range(self.config.retries + 1):
            response, body = await self._send(method, url, method == "GET")
            if (
                method == "HEAD"
                and response.status_code >= 400
                and response.status_code not in RETRY
            ):
                method = "GET"  # many servers answer HEAD with 403, 404 or 405 but GET with 200
                response, body = await self._send(method, url, True)
            if response.status_code not in RETRY or attempt == self.config.retries:
                return response, body
            wait = _retry_after(response, attempt)
            if wait > MAX_RETRY_WAIT:
                return response, body
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")

    async def check(self, url: str) -> Result:
        fragment = urlsplit(url).fragment
        current, seen, permanent = url.split("#")[0], {url.split("#")[0]}, True
        try:
            for _ in range(self.config.max_redirects + 1):
                response, body = await self._fetch(current, bool(fragment))
                status = response.status_code
                if status in REDIRECTS and "location" in response.headers:
                    permanent = permanent and REDIRECTS[status]
                    current = urljoin(current, response.headers["location"])
                    if urlsplit(current).scheme not in ("http", "https"):
                        return Result(url, status, f"redirects to a non-web address {current}")
                    if current in seen:
                        return Result(url, status, "redirect loop")
                    seen.add(current)
                    continue
                if status >= 400:
                    return Result(url, status, f"HTTP {status} {response.reason_phrase}".strip())
                moved = current if permanent and current != url.split("#")[0] else None
                if fragment:
                    ids = _Ids()
                    ids.feed(body.decode("utf-8", errors="replace"))
                    return Result(
                        url, status, moved_to=moved, missing_anchor=fragment not in ids.ids
                    )
                return Result(url, status, moved_to=moved)
            return Result(url, None, f"more than {self.config.max_redirects} redirects")
        except httpx.TimeoutException:
            return Result(
                url,
                None,
                f"no answer within {self.config.host(urlsplit(current).hostname or '').timeout:g} s",
                transient=True,
            )
        except httpx.HTTPError as exc:
            return Result(
                url,
                None,
                f"{type(exc).__name__}: {exc}".rstrip(": "),
                transient=True,
                unconnected=isinstance(exc, (httpx.ConnectError, httpx.ProxyError)),
            )


async def reachable(url: str, config: LinkConfig) -> bool:
    """Whether `url`'s server answers at all (any HTTP status): the probe that tells a
    machine without a network from links that are all broken."""
    async with httpx.AsyncClient(follow_redirects=False) as client:
        try:
            await client.head(url, timeout=config.timeout)
        except httpx.HTTPError:
            return False
    return True


async def check_urls(
    urls: list[str], config: LinkConfig, advance: Callable[[], None] = lambda: None
) -> dict[str, Result]:
    """Check every URL; one still unanswered at the deadline is reported as such."""
    limits = httpx.Limits(
        max_connections=config.concurrency, max_keepalive_connections=config.concurrency
    )
    headers = {"User-Agent": "galley-check (+https://github.com/galley; link checker)"}
    async with httpx.AsyncClient(limits=limits, headers=headers, follow_redirects=False) as client:
        checker = Checker(config, client)

        async def one(url: str) -> Result:
            result = await checker.check(url)
            advance()
            return result

        tasks = {asyncio.ensure_future(one(url)): url for url in urls}
        done, pending = (
            await asyncio.wait(tasks, timeout=config.deadline) if tasks else (set(), set())
        )
        for task in pending:
            task.cancel()
        results = {tasks[task]: task.result() for task in done}
        for task in pending:
            results[tasks[task]] = Result(
                tasks[task],
                None,
                f"not checked within the {config.deadline:g} s deadline",
                transient=True,
            )
        return results
