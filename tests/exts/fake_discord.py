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
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
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

        self._ids = itertools.count(1_400_000_000_000_000_001)
        self._seq = itertools.count(1)
        self._changed = asyncio.Event()
        self._ws: web.WebSocketResponse | None = None
        self._sockets: set[web.WebSocketResponse] = set()
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

    def _record(self, request: Recorded) -> None:
        self.requests.append(request)
        self._changed.set()
        self._changed = asyncio.Event()

    def next_id(self) -> int:
        return next(self._ids)

    # ---- REST ------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.path[len(API_PREFIX) :]
        body: Any = None
        if request.can_read_body:  # the bot sends JSON; anything else is kept as text
            text = await request.text()
            body = json.loads(text) if request.content_type == "application/json" else text
        self._record(
            Recorded(request.method, path, dict(request.query), body, dict(request.headers))
        )
        for method, pattern, handler in self._routes:
            match = pattern.fullmatch(path)
            if method == request.method and match:
                return json_response(handler(request, match, body))
        log.warning("fake Discord: unknown route %s %s", request.method, path)
        self.unknown.append(f"{request.method} {path}")
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
        self._ws = ws
        self.gateway_query = dict(request.query)
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
                elif op == 2:  # IDENTIFY
                    self.identify = payload["d"]
                    await self.dispatch("READY", self._ready())
                    await self.dispatch("GUILD_CREATE", self.guild_payload())
                    self.identified.set()
                else:  # presence updates, resumes, ...: not needed by this bot
                    log.info("fake Discord: ignoring gateway op %s", op)
        finally:
            self._sockets.discard(ws)
            if self._ws is ws:
                self._ws = None
        return ws

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH (op 0) with the next sequence number to the connected bot."""
        if self._ws is None:
            raise RuntimeError("no bot is connected to the fake gateway")
        frame = {"op": 0, "t": event, "s": next(self._seq), "d": data}
        await self._ws.send_str(json.dumps(frame))

    def _ready(self) -> dict[str, Any]:
        return {
            "v": 10,
            "user": {**self.bot_user, "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": "fake-session",
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
