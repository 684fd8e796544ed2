"""The HTTP client against a local aiohttp server on 127.0.0.1 (no real network):
retries with backoff, Retry-After, paging, the page cap, errors naming the host."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.feeds.client import USER_AGENT, FederalRegisterClient, FeedError, retry_after
from bot.feeds.watch import load_config
from tests.feeds.common import fixture

SINCE = date(2024, 9, 1)


class Sleeps(list):
    """The injected sleep: records each wait instead of waiting."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


Handler = Callable[[web.Request, int], web.StreamResponse]


@pytest.fixture
async def server():
    """A local Federal Register: `answers` is a list of handlers, one per request (the
    last repeats); every request is recorded in `requests`."""
    state: dict[str, Any] = {"answers": [], "requests": []}

    async def documents(request: web.Request) -> web.StreamResponse:
        state["requests"].append(request)
        answers = state["answers"]
        index = min(len(state["requests"]) - 1, len(answers) - 1)
        return answers[index](request, len(state["requests"]))

    app = web.Application()
    app.router.add_get("/api/v1/documents.json", documents)
    test_server = TestServer(app, host="127.0.0.1")
    await test_server.start_server()
    state["url"] = str(test_server.make_url("/api/v1/documents.json"))
    try:
        yield state
    finally:
        await test_server.close()


def query_for(server: dict[str, Any], **changes: Any):
    # The query's url must be https in watch.toml; the test server speaks http locally.
    return replace(load_config().query, url=server["url"], **changes)


def page(name: str, server: dict[str, Any] | None = None) -> Handler:
    def answer(request: web.Request, n: int) -> web.StreamResponse:
        data = fixture(name)
        if server is not None and data.get("next_page_url"):  # point page 2 at this server
            data["next_page_url"] = server["url"] + "?page=2"
        return web.json_response(data)

    return answer


def status(code: int, headers: dict[str, str] | None = None) -> Handler:
    return lambda request, n: web.Response(status=code, headers=headers or {}, text="busy")


async def test_one_page_is_read_with_the_query_and_a_named_user_agent(server) -> None:
    server["answers"] = [page("documents_all.json")]
    client = FederalRegisterClient(sleep=Sleeps())
    result = await client.fetch(query_for(server), SINCE)
    assert len(result.documents) == 8 and result.pages == 1 and not result.truncated
    [request] = server["requests"]
    assert request.headers["User-Agent"] == USER_AGENT and "Tradebot" in USER_AGENT
    assert request.query["conditions[publication_date][gte]"] == "2024-09-01"
    assert request.query.getall("conditions[type][]") == ["PRESDOCU", "RULE", "PRORULE", "NOTICE"]
    assert "trade-representative-office-of-united-states" in request.query.getall(
        "conditions[agencies][]"
    )
    assert request.query["order"] == "newest" and request.query["per_page"] == "100"


async def test_next_page_url_is_followed_at_a_polite_pace(server) -> None:
    server["answers"] = [page("documents_page1.json", server), page("documents_page2.json")]
    sleeps = Sleeps()
    result = await FederalRegisterClient(sleep=sleeps, pace=1.5).fetch(query_for(server), SINCE)
    assert result.pages == 2 and len(result.documents) == 8 and not result.truncated
    assert server["requests"][1].query["page"] == "2"
    assert sleeps == [1.5]  # one pause between the two pages, none before the first


async def test_the_page_cap_leaves_the_rest_for_later(server) -> None:
    server["answers"] = [page("documents_page1.json", server)]
    result = await FederalRegisterClient(sleep=Sleeps()).fetch(
        query_for(server, max_pages=1), SINCE
    )
    assert result.truncated and result.pages == 1 and len(result.documents) == 4
    assert len(server["requests"]) == 1


async def test_a_next_page_on_another_host_is_not_followed(server) -> None:
    server["answers"] = [page("documents_page1.json")]  # next_page_url: federalregister.gov
    result = await FederalRegisterClient(sleep=Sleeps()).fetch(query_for(server), SINCE)
    assert result.pages == 1 and len(server["requests"]) == 1


async def test_5xx_and_429_are_retried_with_exponential_backoff(server) -> None:
    server["answers"] = [status(503), status(429), status(502), page("documents_all.json")]
    sleeps = Sleeps()
    client = FederalRegisterClient(sleep=sleeps, backoff=0.5)
    result = await client.fetch(query_for(server), SINCE)
    assert len(result.documents) == 8 and client.requests == 4
    assert sleeps == [0.5, 1.0, 2.0]


async def test_retry_after_seconds_and_dates_are_honoured(server) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    server["answers"] = [
        status(429, {"Retry-After": "7"}),
        status(503, {"Retry-After": later}),
        page("documents_all.json"),
    ]
    sleeps = Sleeps()
    await FederalRegisterClient(sleep=sleeps).fetch(query_for(server), SINCE)
    assert sleeps[0] == 7 and 25 <= sleeps[1] <= 30


async def test_a_retry_after_beyond_the_limit_gives_up_naming_the_host(server) -> None:
    server["answers"] = [status(429, {"Retry-After": "3600"})]
    with pytest.raises(FeedError, match=r"127\.0\.0\.1 asks to wait 3600 s \(HTTP 429\)"):
        await FederalRegisterClient(sleep=Sleeps(), max_wait=300).fetch(query_for(server), SINCE)


async def test_retries_run_out_with_one_line_naming_the_host(server) -> None:
    server["answers"] = [status(500)]
    sleeps = Sleeps()
    with pytest.raises(FeedError) as caught:
        await FederalRegisterClient(sleep=sleeps, retries=2, backoff=1).fetch(
            query_for(server), SINCE
        )
    assert str(caught.value) == "127.0.0.1 could not be read after 3 tries (HTTP 500)"
    assert sleeps == [1, 2] and len(server["requests"]) == 3


async def test_a_4xx_is_not_retried(server) -> None:
    server["answers"] = [status(400)]
    with pytest.raises(FeedError, match=r"refused the request \(HTTP 400\)"):
        await FederalRegisterClient(sleep=Sleeps()).fetch(query_for(server), SINCE)
    assert len(server["requests"]) == 1


async def test_connection_errors_are_retried_then_named() -> None:
    with socket.socket() as probe:  # a local port nobody listens on once it is closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    query = replace(load_config().query, url=f"http://127.0.0.1:{port}/api/v1/documents.json")
    sleeps = Sleeps()
    with pytest.raises(FeedError) as caught:
        await FederalRegisterClient(sleep=sleeps, retries=1, timeout=2).fetch(query, SINCE)
    assert "127.0.0.1 could not be read after 2 tries (ClientConnectorError" in str(caught.value)
    assert sleeps == [2.0]


async def test_a_bad_response_is_a_feed_error_naming_the_field(server) -> None:
    server["answers"] = [page("documents_bad_date.json")]
    with pytest.raises(FeedError, match=r"result 2 \(2025-06244\): `publication_date` is missing"):
        await FederalRegisterClient(sleep=Sleeps()).fetch(query_for(server), SINCE)


async def test_a_response_that_is_not_json(server) -> None:
    server["answers"] = [lambda request, n: web.Response(text="<html>maintenance</html>")]
    with pytest.raises(FeedError, match="not JSON"):
        await FederalRegisterClient(sleep=Sleeps()).fetch(query_for(server), SINCE)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2025, 5, 1, 12, 0, tzinfo=UTC)
    assert retry_after("120") == 120
    assert retry_after("Thu, 01 May 2025 12:01:00 GMT", now) == 60
    assert retry_after("Thu, 01 May 2025 11:00:00 GMT", now) == 0
    assert retry_after("soon") is None and retry_after(None) is None
