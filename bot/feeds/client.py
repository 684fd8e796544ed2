"""Asking the Federal Register API for documents: aiohttp, polite and patient.

Why each rule:
- one request at a time, `pace` seconds apart, with a User-Agent naming Tradebot: the API
  is free and keyless, and its operators ask for moderate use;
- a timeout per request, so a stalled connection never stalls the bot's watcher;
- retries with exponential backoff on 429, 5xx and connection errors, honouring
  Retry-After (seconds or an HTTP date) up to `max_wait`: busy servers recover;
- `next_page_url` is followed only on the same host, up to `max_pages` pages: a long
  backlog is fetched in later checks instead of in one burst;
- everything is awaited on the event loop (no blocking call), and the sleep function is
  injectable so tests run the retry schedule in microseconds.

Failures are a `FeedError` whose message names the host and what happened; it never
holds a token (the API takes none) or a whole response.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
from yarl import URL

from bot import __version__
from bot.feeds.documents import Document, FeedFormatError, parse_response
from bot.feeds.watch import WatchQuery

log = logging.getLogger("tradebot.feeds")
USER_AGENT = f"Tradebot/{__version__} (Discord trade-status bot; Federal Register watcher)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
Sleep = Callable[[float], Awaitable[Any]]


class FeedError(Exception):
    """The feed could not be read; the message names the host and what to do."""


@dataclass(frozen=True)
class FetchResult:
    documents: list[Document]
    pages: int
    truncated: bool  # more pages were left for a later check (max_pages reached)


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds to wait: '120' or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class FederalRegisterClient:
    """Fetches the documents a `WatchQuery` names, published on or after a date."""

    def __init__(
        self,
        *,
        session: aiohttp.ClientSession | None = None,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 2.0,
        max_wait: float = 300.0,
        pace: float = 1.0,
        sleep: Sleep = asyncio.sleep,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.retries, self.backoff, self.max_wait = retries, backoff, max_wait
        self.pace, self.sleep, self.user_agent = pace, sleep, user_agent
        self.requests = 0  # made so far (tests and logs)

    async def fetch(self, query: WatchQuery, since: date) -> FetchResult:
        """Every document of the query published on or after `since`, newest first, at
        most `query.max_pages` pages. Raises FeedError."""
        if self.session is not None:
            return await self._fetch(self.session, query, since)
        async with aiohttp.ClientSession(headers={"User-Agent": self.user_agent}) as session:
            return await self._fetch(session, query, since)

    async def _fetch(
        self, session: aiohttp.ClientSession, query: WatchQuery, since: date
    ) -> FetchResult:
        host = URL(query.url).host
        url: URL | None = URL(query.url).with_query(query.params(since.isoformat()))
        documents: dict[str, Document] = {}
        pages = 0
        while url is not None:
            if pages:
                await self.sleep(self.pace)  # polite: one page at a time, spaced
            data = await self._get_json(session, url)
            pages += 1
            try:
                page = parse_response(data)
            except FeedFormatError as exc:
                raise FeedError(
                    f"{host} sent an unexpected response (page {pages}): {exc}"
                ) from None
            for doc in page.documents:
                documents.setdefault(doc.document_number, doc)  # pages may overlap
            url = self._next(page.next_page_url, host)
            if url is not None and pages >= query.max_pages:
                log.info(
                    "stopped after %d pages of %s; the rest comes in later checks", pages, host
                )
                return FetchResult(list(documents.values()), pages, True)
        return FetchResult(list(documents.values()), pages, False)

    @staticmethod
    def _next(next_page_url: str | None, host: str | None) -> URL | None:
        if not next_page_url:
            return None
        url = URL(next_page_url)
        if url.host != host or url.scheme not in ("https", "http"):
            log.warning("not following a next page on another host: %s", url.host)
            return None
        return url

    async def _get_json(self, session: aiohttp.ClientSession, url: URL) -> Any:
        host = url.host
        attempt = 0
        while True:
            wait: float | None = None
            self.requests += 1
            try:
                async with session.get(
                    url, timeout=self.timeout, headers={"User-Agent": self.user_agent}
                ) as response:
                    if response.status == 200:
                        try:
                            return await response.json(content_type=None)
                        except ValueError:
                            raise FeedError(
                                f"{host} answered with something that is not JSON"
                            ) from None
                    if response.status not in RETRY_STATUSES:
                        raise FeedError(f"{host} refused the request (HTTP {response.status})")
                    problem = f"HTTP {response.status}"
                    wait = retry_after(response.headers.get("Retry-After"))
            except (aiohttp.ClientError, TimeoutError) as exc:
                problem = _describe(exc)
            if attempt >= self.retries:
                raise FeedError(f"{host} could not be read after {attempt + 1} tries ({problem})")
            if wait is None:
                wait = self.backoff * 2**attempt
            elif wait > self.max_wait:
                raise FeedError(f"{host} asks to wait {wait:.0f} s ({problem}); try again later")
            log.info("%s: %s; retrying in %.1f s", host, problem, wait)
            await self.sleep(wait)
            attempt += 1


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    text = str(exc).split("\n")[0][:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
