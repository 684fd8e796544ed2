"""A tiny fake Discord (REST + gateway) on 127.0.0.1, for driving the real discord.py client.

Only what one bot session needs is served, and every REST request is recorded so a test can
assert on exactly what the bot sent. Nothing here leaves the machine.

Pointing discord.py at it (see `FakeDiscord.patch_discord`)
    * REST: every URL is `discord.http.Route.BASE + path`, read when a `Route` is built, so
      replacing the class attribute redirects all requests (bot and interaction webhooks).
    * Gateway: `Client.connect` uses `DiscordWebSocket.DEFAULT_GATEWAY` for the first
      connection (discord.py 2.7 no longer asks `GET /gateway/bot` for a non-sharded
      client, but it is served anyway); reconnects use READY's `resume_gateway_url`, which
      also points here.

REST conventions
    * Responses carry `Content-Type: application/json` *exactly*: discord.py's
      `json_or_text` compares the header verbatim and would otherwise hand the bot a str.
      aiohttp's `text=` adds `; charset=utf-8`, so the body is passed as bytes.
    * No rate-limit headers are sent, so discord.py never waits on a bucket.
    * An unknown route is logged, recorded in `unknown` and answered with a 404 JSON error,
      so a missing route fails loudly instead of hanging.

Gateway protocol (JSON text frames; no compression)
    discord.py asks for `?compress=zlib-stream` (or zstd-stream), but it only decompresses
    *binary* frames; text frames are parsed as plain JSON. So the fake sends text.

    server -> HELLO      {op 10, d: {heartbeat_interval}}
    client -> HEARTBEAT  {op 1}   (sent at once on HELLO, then every interval)
    server -> HEARTBEAT_ACK {op 11}
    client -> IDENTIFY   {op 2, d: {token, intents, ...}}
    server -> READY      {op 0, t READY, d: {user, guilds: [unavailable], application, ...}}
    server -> GUILD_CREATE with the full guild (channels, roles, members)
    ... later, `dispatch(event, data)` sends any DISPATCH (op 0) with the next sequence.
    client -> RESUME     {op 6, d: {token, session_id, seq}}   (after a dropped connection)
    server -> every DISPATCH with a sequence above `seq` (what the bot missed), then RESUMED;
              or, with `resume_mode = "invalidate"`, INVALID_SESSION {op 9, d: false} and the
              bot identifies again (a new session; events sent meanwhile are lost, as on Discord)

Fault injection (for tests of the bot's resilience)
    * `drop_gateway(code)` closes the bot's websocket with `code` (1001, 4000, ...: discord.py
      resumes), or with `code=None` aborts the TCP connection without a close frame;
      `request_reconnect()` sends op 7 RECONNECT. Events dispatched while the bot is away are
      kept and replayed on RESUME, as Discord does.
    * `inject(Fault(...))` answers matching REST requests with an error instead of the route:
      `rate_limited(...)` builds a realistic 429 (JSON body, `X-RateLimit-*` headers and the
      `Via` header without which discord.py takes a 429 for a Cloudflare ban and does not
      retry), `server_error(...)` a 5xx. A fault applies `times` times (None: until removed).
    * Every recorded request carries the `status` it was answered with and the time `at`
      (`time.perf_counter()`) it arrived; `listeners` are called with each one.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import yarl
from aiohttp import WSMsgType, web

log = logging.getLogger("tests.fake_discord")

API_PREFIX = "/api/v10"
HEARTBEAT_INTERVAL_MS = 41_250  # Discord's usual value; the test never waits that long
JOINED_AT = "2025-01-01T00:00:00+00:00"


@dataclass
class Recorded:
    """One REST request the bot made: method, path below `/api/v10`, query and JSON body."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    headers: dict[str, str] = field(repr=False, default_factory=dict)
    status: int = 200  # what the fake answered (an injected fault's status, or 200/404)
    at: float = 0.0  # time.perf_counter() when the request arrived


@dataclass
class Fault:
    """An error response for the next `times` REST requests matching method, path and `when`.

    `path` is a regular expression matched in full against the path below `/api/v10`;
    `when`, if given, is asked about the recorded request (e.g. to pick one message's reply).
    `times=None` keeps the fault until it is removed from `FakeDiscord.faults`."""

    method: str
    path: str
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1
    when: Callable[[Recorded], bool] | None = None
    hits: int = 0

    def applies(self, request: Recorded) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if request.method != self.method or not re.fullmatch(self.path, request.path):
            return False
        return self.when is None or self.when(request)


def rate_limited(
    method: str,
    path: str,
    *,
    retry_after: float = 0.1,
    is_global: bool = False,
    times: int | None = 1,
    when: Callable[[Recorded], bool] | None = None,
) -> Fault:
    """A 429 as Discord sends it: JSON body with `retry_after`, rate-limit headers, `Via`."""
    reset = time.time() + retry_after
    return Fault(
        method,
        path,
        429,
        body={
            "message": "You are being rate limited.",
            "retry_after": retry_after,
            "global": is_global,
        },
        headers={
            "Retry-After": str(retry_after),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{reset:.3f}",
            "X-RateLimit-Reset-After": str(retry_after),
            "X-RateLimit-Bucket": "fake-bucket",
            "X-RateLimit-Scope": "shared" if not is_global else "global",
            **({"X-RateLimit-Global": "true"} if is_global else {}),
            # discord.py treats a 429 without `Via` as a Cloudflare ban and raises at once.
            "Via": "1.1 google",
        },
        times=times,
        when=when,
    )


def server_error(
    method: str,
    path: str,
    *,
    status: int = 500,
    times: int | None = 1,
    when: Callable[[Recorded], bool] | None = None,
) -> Fault:
    """A 5xx with Discord's JSON error body."""
    body = {"message": f"{status}: Internal Server Error (fake Discord)", "code": 0}
    return Fault(method, path, status, body=body, times=times, when=when)


def user_payload(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
    }


def member_payload(user: dict[str, Any], roles: list[int] | None = None) -> dict[str, Any]:
    """A guild member with every key discord.py's `Member.__init__` indexes directly."""
    return {
        "user": user,
        "roles": [str(r) for r in roles or []],
        "joined_at": JOINED_AT,
        "deaf": False,
        "mute": False,
        "flags": 0,
        "pending": False,
        "nick": None,
        "avatar": None,
        "premium_since": None,
    }


def json_response(data: Any, status: int = 200) -> web.Response:
    """JSON with the exact `Content-Type: application/json` discord.py requires."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, content_type="application/json"
    )


class FakeDiscord:
    """One guild, one text channel, one human user, and the bot; REST and gateway on one port.

    Use `await start()`, `patch_discord(monkeypatch)`, then start the bot; `dispatch()` sends
    gateway events and `wait_for()` waits for the bot's REST requests. `close()` at the end.
    """

    def __init__(
        self,
        *,
        bot_id: int,
        application_id: int,
        guild_id: int,
        channel_id: int,
        user_id: int,
    ) -> None:
        self.bot_id, self.application_id = bot_id, application_id
        self.guild_id, self.channel_id, self.user_id = guild_id, channel_id, user_id
        self.bot_user = user_payload(bot_id, "Tradebot", bot=True)
        self.user = user_payload(user_id, "asker")

        self.requests: list[Recorded] = []
        self.unknown: list[str] = []
        self.identify: dict[str, Any] | None = None
        self.gateway_query: dict[str, str] = {}
        self.identified = asyncio.Event()
        self.faults: list[Fault] = []
        self.listeners: list[Callable[[Recorded], None]] = []
        # Gateway history, in order: ("connect", query), ("identify", d), ("resume", d),
        # ("invalidate", None), ("closed", close code or None).
        self.gateway_log: list[tuple[str, Any]] = []
        self.resume_mode = "resume"  # or "invalidate": answer RESUME with INVALID_SESSION

        self.session_id: str | None = None
        self._sessions = itertools.count(1)
        self._frames: list[tuple[int, str]] = []  # this session's DISPATCHes, for RESUME

        self._ids = itertools.count(1_400_000_000_000_000_001)
        self._seq = itertools.count(1)
        self._changed = asyncio.Event()
        self._ws: web.WebSocketResponse | None = None  # the identified (or resumed) socket
        self._sockets: set[web.WebSocketResponse] = set()
        self._transports: dict[web.WebSocketResponse, Any] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

        self._routes: list[tuple[str, re.Pattern[str], Callable[..., Any]]] = [
            ("GET", re.compile(r"/users/@me"), lambda req, m, body: self.bot_user),
            ("GET", re.compile(r"/gateway(/bot)?"), self._gateway_info),
            ("GET", re.compile(r"/oauth2/applications/@me"), self._application),
            ("POST", re.compile(r"/channels/(\d+)/messages"), self._channel_message),
            ("POST", re.compile(r"/interactions/(\d+)/([^/]+)/callback"), self._callback),
            ("POST", re.compile(r"/webhooks/(\d+)/([^/]+)"), self._webhook_message),
            (
                "PATCH",
                re.compile(r"/webhooks/(\d+)/([^/]+)/messages/@original"),
                self._webhook_message,
            ),
        ]

    # ---- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/", self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        # A short shutdown_timeout: a lingering connection must not stall teardown.
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    def patch_discord(self, monkeypatch: Any) -> None:
        """Point discord.py's REST and gateway URLs here (undone by `monkeypatch`)."""
        import discord.gateway
        import discord.http

        monkeypatch.setattr(discord.http.Route, "BASE", self.api_base)
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(self.gateway_url)
        )

    # ---- waiting on the bot ----------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[Recorded], bool]) -> Recorded:
        """The first recorded request matching `predicate`, waiting for it if need be.

        Unbounded: callers bound it (and race it against the bot task)."""
        while True:
            changed = self._changed
            for request in self.requests:
                if predicate(request):
                    return request
            await changed.wait()

    async def wait_until(self, condition: Callable[[], bool]) -> None:
        """Wait until `condition()` holds; it is checked after every request and gateway step.

        Unbounded: callers bound it (and race it against the bot task)."""
        while True:
            changed = self._changed
            if condition():
                return
            await changed.wait()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _record(self, request: Recorded) -> None:
        self.requests.append(request)
        for listener in self.listeners:
            listener(request)
        self._notify()

    def inject(self, fault: Fault) -> Fault:
        """Answer matching requests with `fault` (see `Fault`); returns it to check `hits`."""
        self.faults.append(fault)
        return fault

    def next_id(self) -> int:
        return next(self._ids)

    # ---- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.path[len(API_PREFIX) :]
        body: Any = None
        if request.can_read_body:  # the bot sends JSON; anything else is kept as text
            text = await request.text()
            body = json.loads(text) if request.content_type == "application/json" else text
        recorded = Recorded(
            request.method,
            path,
            dict(request.query),
            body,
            dict(request.headers),
            at=time.perf_counter(),
        )
        for fault in self.faults:
            if fault.applies(recorded):
                fault.hits += 1
                recorded.status = fault.status
                self._record(recorded)
                response = json_response(fault.body, fault.status)
                response.headers.update(fault.headers)
                return response
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if method == request.method and match:
                self._record(recorded)
                return json_response(handler(request, match, body))
        log.warning("fake Discord: unknown route %s %s", request.method, path)
        self.unknown.append(f"{request.method} {path}")
        recorded.status = 404
        self._record(recorded)
        return json_response({"message": "404: Not Found (fake Discord)", "code": 0}, 404)

    def _gateway_info(self, request: web.Request, match: re.Match[str], body: Any) -> Any:
        return {
            "url": self.gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 1000,
                "reset_after": 0,
                "max_concurrency": 1,
            },
        }

    def _application(self, request: web.Request, match: re.Match[str], body: Any) -> Any:
        return {
            "id": str(self.application_id),
            "name": "Tradebot",
            "description": "",
            "icon": None,
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": self.user,
            "verify_key": "0" * 64,
            "flags": 0,
        }

    def message_payload(
        self, body: dict[str, Any], *, channel_id: int, author: dict[str, Any], **extra: Any
    ) -> dict[str, Any]:
        """The message Discord would create from a send/edit body."""
        data = {
            "id": str(self.next_id()),
            "channel_id": str(channel_id),
            "author": author,
            "content": body.get("content") or "",
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "flags": body.get("flags") or 0,
        }
        data.update(extra)
        return data

    def _channel_message(self, request: web.Request, match: re.Match[str], body: Any) -> Any:
        extra: dict[str, Any] = {"guild_id": str(self.guild_id)}
        if body.get("message_reference"):
            extra.update(type=19, message_reference=body["message_reference"])
        return self.message_payload(body, channel_id=int(match[1]), author=self.bot_user, **extra)

    def _callback(self, request: web.Request, match: re.Match[str], body: Any) -> Any:
        """`?with_response=1`: Discord returns an interaction callback object."""
        kind = body["type"]
        return {
            "interaction": {
                "id": match[1],
                "type": 2,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool((body.get("data") or {}).get("flags", 0) & 64),
            },
            "resource": {"type": kind},
        }

    def _webhook_message(self, request: web.Request, match: re.Match[str], body: Any) -> Any:
        return self.message_payload(
            body,
            channel_id=self.channel_id,
            author=self.bot_user,
            webhook_id=match[1],
            application_id=match[1],
        )

    # ---- gateway ---------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.add(ws)
        self._transports[ws] = request.transport
        self.gateway_query = dict(request.query)
        self._log_gateway("connect", dict(request.query))
        try:
            await ws.send_str(
                json.dumps({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}})
            )
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    break
                payload = json.loads(msg.data)
                op = payload.get("op")
                if op == 1:  # HEARTBEAT
                    await ws.send_str(json.dumps({"op": 11}))
                elif op == 2:  # IDENTIFY: a new session
                    self.identify = payload["d"]
                    self.session_id = f"fake-session-{next(self._sessions)}"
                    self._frames = []
                    self._ws = ws
                    self._log_gateway("identify", payload["d"])
                    await self.dispatch("READY", self._ready())
                    await self.dispatch("GUILD_CREATE", self.guild_payload())
                    self.identified.set()
                elif op == 6:  # RESUME
                    self._log_gateway("resume", payload["d"])
                    await self._resume(ws, payload["d"])
                else:  # presence updates, ...: not needed by this bot
                    log.info("fake Discord: ignoring gateway op %s", op)
        finally:
            self._sockets.discard(ws)
            self._transports.pop(ws, None)
            if self._ws is ws:
                self._ws = None
            self._log_gateway("closed", ws.close_code)
        return ws

    def _log_gateway(self, what: str, data: Any) -> None:
        self.gateway_log.append((what, data))
        self._notify()

    async def _resume(self, ws: web.WebSocketResponse, data: dict[str, Any]) -> None:
        """Replay what the bot missed, then RESUMED; or invalidate the session."""
        if (
            self.resume_mode == "invalidate"
            or self.session_id is None
            or data.get("session_id") != self.session_id
            or data.get("token") != (self.identify or {}).get("token")
        ):
            self.session_id, self._frames = None, []
            self._log_gateway("invalidate", None)
            await ws.send_str(json.dumps({"op": 9, "d": False}))
            return
        seq = data.get("seq") or 0
        done = 0
        # Frames dispatched during the replay are appended to `_frames` (no socket is live),
        # so the loop sends them too; the switch to `ws` happens with no await in between.
        while done < len(self._frames):
            s, frame = self._frames[done]
            done += 1
            if s > seq:
                await ws.send_str(frame)
        self._ws = ws
        await self.dispatch("RESUMED", {})

    async def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Send a DISPATCH (op 0) with the next sequence number to the connected bot.

        While the bot is disconnected (after a drop, before it resumes) the event is kept and
        replayed on RESUME. Returns the event's sequence number."""
        if self.session_id is None:
            raise RuntimeError("no bot session on the fake gateway")
        seq = next(self._seq)
        frame = json.dumps({"op": 0, "t": event, "s": seq, "d": data})
        self._frames.append((seq, frame))
        if self._ws is not None:
            await self._ws.send_str(frame)
        return seq

    # ---- gateway faults --------------------------------------------------------------------

    async def drop_gateway(self, code: int | None = 4000) -> None:
        """Close the bot's websocket with `code`, or abort the TCP connection if None."""
        ws = self._ws
        if ws is None:
            raise RuntimeError("no bot is connected to the fake gateway")
        self._ws = None  # from now on events wait for the RESUME
        if code is None:
            transport = self._transports.get(ws)
            if transport is not None:
                transport.abort()
        else:
            await ws.close(code=code, message=b"fake Discord: connection dropped")

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: the bot closes the socket and resumes on a new one."""
        ws = self._ws
        if ws is None:
            raise RuntimeError("no bot is connected to the fake gateway")
        self._ws = None
        await ws.send_str(json.dumps({"op": 7, "d": None}))

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": {**self.bot_user, "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": self.session_id,
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }

    def channel_payload(self) -> dict[str, Any]:
        return {
            "id": str(self.channel_id),
            "type": 0,
            "guild_id": str(self.guild_id),
            "name": "trade",
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }

    def guild_payload(self) -> dict[str, Any]:
        """GUILD_CREATE: the guild, its text channel, @everyone (administrator) and members."""
        return {
            "id": str(self.guild_id),
            "name": "Home",
            "icon": None,
            "owner_id": str(self.user_id),
            "unavailable": False,
            "large": False,
            "member_count": 2,
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": str(self.guild_id),  # @everyone has the guild's id
                    "name": "@everyone",
                    "permissions": "8",
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "channels": [self.channel_payload()],
            "members": [member_payload(self.bot_user), member_payload(self.user)],
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "voice_states": [],
            "presences": [],
            "joined_at": JOINED_AT,
            "preferred_locale": "en-US",
            "premium_tier": 0,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "system_channel_id": None,
        }

    # ---- events a user causes --------------------------------------------------------------

    def user_message(self, content: str, *, mentions_bot: bool) -> dict[str, Any]:
        """MESSAGE_CREATE data for the user writing `content` in the text channel."""
        member = member_payload(self.user)
        del member["user"]  # a message's `member` omits the user; `author` carries it
        return {
            "id": str(self.next_id()),
            "channel_id": str(self.channel_id),
            "guild_id": str(self.guild_id),
            "author": self.user,
            "member": member,
            "content": content,
            "timestamp": datetime.now(UTC).isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [self.bot_user] if mentions_bot else [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }

    def slash_command(self, name: str, **options: str) -> dict[str, Any]:
        """INTERACTION_CREATE data for the user running `/name` with string options."""
        return {
            "id": str(self.next_id()),
            "type": 2,  # APPLICATION_COMMAND
            "token": f"fake-token-{self.next_id()}",
            "version": 1,
            "application_id": str(self.application_id),
            "attachment_size_limit": 8 * 1024 * 1024,
            "channel_id": str(self.channel_id),
            "channel": self.channel_payload(),
            "guild_id": str(self.guild_id),
            "guild_locale": "en-US",
            "member": {**member_payload(self.user), "permissions": "8"},
            "app_permissions": "8",
            "locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "data": {
                "id": str(self.next_id()),
                "name": name,
                "type": 1,  # CHAT_INPUT
                "options": [
                    {"name": key, "type": 3, "value": value} for key, value in options.items()
                ],
            },
        }
