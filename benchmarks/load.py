"""Load test of the real bot against the fake Discord server (tests/exts/fake_discord.py).

Run:  .venv/bin/python benchmarks/load.py [--events 1000] [--window 10] [--profile]

The fake Discord runs in a subprocess (this file with `--serve`); the bot (`create_bot`,
discord.py unchanged, question cooldown 0) runs in this process, so `ru_maxrss` is the bot's
own peak resident memory. The server sends the events and times them: per event, from the
moment the gateway frame is written to the moment the bot's final reply reaches the server
(a mention: `POST /channels/{id}/messages` referencing it; a slash command: the follow-up
`POST /webhooks/{app}/{token}` (or `PATCH .../@original`) after the deferred callback, or an
immediate callback message for a refusal). Both timestamps are taken in the server process.

Events: ~70% MESSAGE_CREATE mentioning the bot, questions taken in turn from
tests/eval/*.jsonl; ~30% INTERACTION_CREATE, equal shares of /rate /about /status /rulings
/deadlines /ask (each slash event from its own user: /ask has a per-user cooldown).

Phases, each with `--events` new events, after a short warm-up:
- burst: every event written as fast as the websocket takes it (the bot's read loop and
  TCP flow control are the only brake: the bot reads every event at once and defers each
  slash command, and at most `bot.answer_stage.ANSWER_LIMIT` answers are in progress; only
  past `bot.gateway_gate.LIMIT` events waiting in the bot would unread events wait in the
  socket); latency therefore includes queueing behind the events sent before it, and
  `slash_defer_p50_ms` / `slash_defer_p99_ms` (frame written -> deferred callback) must
  stay well under Discord's 3 s;
- window: closed loop, at most `--window` events awaiting an answer (like that many users
  waiting on the bot at once); latency is closer to one event's service time.

`--scale`: the store holds ~10,000 synthetic tariff facts besides the bundled ones (built
as benchmarks/latency.py builds its at-scale store), same targets: every event answered,
windowed p99 <= 100 ms; a 3,000-event burst (`--scale --events 3000 --phases burst`) stays
under 120 MB resident (`bot_peak_rss_mb`) with slash commands deferred within 1 s (p99).
`answer_records_written` counts the answer rows the bot wrote (in batches, off the answer
path) by the time it closed.

Prints one JSON object, with the bot's garbage-collector pauses per phase. `--profile` adds
where the bot's time goes in each phase: cProfile of the event-loop thread and of the
database thread (top functions to stderr), and how long database jobs wait for the single
database thread (cProfile slows the bot down about twofold: compare shares, not totals).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import gc
import json
import os
import pstats
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BOT_ID = 1_200_000_000_000_000_001
APPLICATION_ID = 1_200_000_000_000_000_002
GUILD_ID = 1_200_000_000_000_000_005
CHANNEL_ID = 1_200_000_000_000_000_003
USER_ID = 1_200_000_000_000_000_004
TOKEN = "fake-token"
WARMUP = 20
STEP_TIMEOUT = 30.0  # for start-up steps
PHASE_TIMEOUT = 45.0  # answers still missing after this are counted unanswered

SLASH = ["rate", "about", "status", "rulings", "deadlines", "ask"]
RATE_PAIRS = [("US", "CN"), ("CN", "US"), ("US", "CA"), ("US", "MX"), ("US", "JP"), ("US", "EU")]


def eval_questions() -> list[str]:
    out = []
    for path in sorted((ROOT / "tests" / "eval").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["question"])
    return out


def percentiles(samples: list[float]) -> dict[str, float | None]:
    if not samples:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None, "mean_ms": None}
    samples = sorted(samples)
    pick = lambda p: samples[min(len(samples) - 1, int(p * len(samples)))]  # noqa: E731
    return {
        "p50_ms": round(pick(0.50) * 1e3, 2),
        "p99_ms": round(pick(0.99) * 1e3, 2),
        "max_ms": round(samples[-1] * 1e3, 2),
        "mean_ms": round(statistics.fmean(samples) * 1e3, 2),
    }


# ==== the fake Discord (subprocess) ===========================================================


class Load:
    """Builds events, sends them through the fake gateway and times the bot's replies."""

    def __init__(self, server: Any, seed: int) -> None:
        self.server = server
        self.rng = random.Random(seed)
        self.questions = eval_questions()
        self.rng.shuffle(self.questions)
        self.next_question = 0
        self.next_user = USER_ID + 1
        self.sent: dict[str, float] = {}  # event key -> time the frame was written
        self.kind: dict[str, str] = {}  # event key -> "message" | "/name"
        self.answered: dict[str, float] = {}  # event key -> time of the final reply
        self.deferred: dict[str, float] = {}  # slash key -> time of the defer callback
        self.refused: set[str] = set()  # answered with an ephemeral error
        self.failed: list[str] = []  # non-200 replies
        self.done = asyncio.Event()  # nothing is waiting for an answer
        self.progress = asyncio.Event()  # an answer arrived
        self.waiting: set[str] = set()
        server.listeners.append(self.on_request)

    # ---- events ------------------------------------------------------------------------

    def question(self) -> str:
        q = self.questions[self.next_question % len(self.questions)]
        self.next_question += 1
        return q

    def message(self) -> tuple[str, str, dict[str, Any]]:
        data = self.server.user_message(f"<@{BOT_ID}> {self.question()}", mentions_bot=True)
        return f"m:{data['id']}", "MESSAGE_CREATE", data

    def slash(self, name: str) -> tuple[str, str, dict[str, Any]]:
        from tests.exts.fake_discord import user_payload

        options: dict[str, str] = {}
        if name == "rate":
            importer, exporter = self.rng.choice(RATE_PAIRS)
            options = {"importer": importer, "exporter": exporter}
            if self.rng.random() < 0.5:
                options["date"] = f"2025-{self.rng.randint(1, 12):02d}-15"
        elif name == "status" and self.rng.random() < 0.5:
            options = {"parties": self.rng.choice(["CN", "JP", "EU", "CA"])}
        elif name == "ask":
            options = {"question": self.question()[:500]}
        data = self.server.slash_command(name, **options)
        self.next_user += 1  # /ask allows one use per user every 3 s: one user per event
        data["member"]["user"] = user_payload(self.next_user, f"user{self.next_user}")
        return f"s:{data['token']}", "INTERACTION_CREATE", data

    def events(self, n: int) -> list[tuple[str, str, dict[str, Any]]]:
        n_slash = round(n * 0.3)
        kinds = ["message"] * (n - n_slash) + [SLASH[i % len(SLASH)] for i in range(n_slash)]
        self.rng.shuffle(kinds)
        return [self.message() if k == "message" else self.slash(k) for k in kinds]

    # ---- replies -----------------------------------------------------------------------

    def on_request(self, r: Any) -> None:
        key = None
        parts = r.path.split("/")
        if r.method == "POST" and r.path == f"/channels/{CHANNEL_ID}/messages":
            key = f"m:{((r.json or {}).get('message_reference') or {}).get('message_id')}"
        elif parts[1:2] == ["webhooks"] and len(parts) >= 4:
            key = f"s:{parts[3]}"
            if r.status == 200 and (r.json or {}).get("flags", 0) & 64:
                self.refused.add(key)
        elif parts[1:2] == ["interactions"] and len(parts) == 5:
            key = f"s:{parts[3]}"
            if (r.json or {}).get("type") == 5:  # deferred: the follow-up is the answer
                self.deferred.setdefault(key, r.at)
                return
            self.refused.add(key)  # an immediate message: a refusal (bad option, cooldown)
        if key is None or key not in self.sent:
            return
        if r.status != 200:
            self.failed.append(f"{r.method} {r.path} -> {r.status}")
            return
        self.answered.setdefault(key, r.at)
        self.waiting.discard(key)
        self.progress.set()
        if not self.waiting:
            self.done.set()

    async def send(self, event: tuple[str, str, dict[str, Any]]) -> None:
        key, kind, data = event
        self.kind[key] = "message" if kind == "MESSAGE_CREATE" else f"/{data['data']['name']}"
        self.waiting.add(key)
        self.done.clear()
        # Timed when the server starts writing the frame: time blocked on a full socket
        # (the bot not reading yet) counts as the bot's latency.
        self.sent[key] = time.perf_counter()
        await self.server.dispatch(kind, data)

    async def wait_all(self, timeout: float) -> None:
        if self.waiting:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.done.wait(), timeout)

    # ---- phases ------------------------------------------------------------------------

    async def burst(self, n: int) -> list[str]:
        events = self.events(n)
        for event in events:
            await self.send(event)
        await self.wait_all(PHASE_TIMEOUT)
        return [e[0] for e in events]

    async def window(self, n: int, size: int) -> list[str]:
        events = self.events(n)
        deadline = time.perf_counter() + PHASE_TIMEOUT
        for event in events:
            while len(self.waiting) >= size and time.perf_counter() < deadline:
                self.progress.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.progress.wait(), deadline - time.perf_counter())
            if time.perf_counter() >= deadline:
                break
            await self.send(event)
        await self.wait_all(max(0.1, deadline - time.perf_counter()))
        return [e[0] for e in events]

    def report(self, keys: list[str], elapsed_from: float) -> dict[str, Any]:
        sent = [k for k in keys if k in self.sent]
        answered = [k for k in sent if k in self.answered]
        latencies = [self.answered[k] - self.sent[k] for k in answered]
        last = max((self.answered[k] for k in answered), default=elapsed_from)
        by_kind: dict[str, list[float]] = {}
        for k in answered:
            by_kind.setdefault(self.kind[k], []).append(self.answered[k] - self.sent[k])
        slash = [k for k in answered if k.startswith("s:") and k in self.deferred]
        defers = percentiles([self.deferred[k] - self.sent[k] for k in slash])
        return {
            "events_sent": len(sent),
            "answered": len(answered),
            "answered_pct": round(100 * len(answered) / max(1, len(sent)), 2),
            **{f"latency_{k}": v for k, v in percentiles(latencies).items()},
            "throughput_events_per_s": round(len(answered) / max(1e-9, last - elapsed_from), 1),
            "wall_s": round(last - elapsed_from, 3),
            "refusals": len([k for k in answered if k in self.refused]),
            # from the frame written to the deferred callback (Discord allows 3 s)
            "slash_defer_p50_ms": defers["p50_ms"],
            "slash_defer_p99_ms": defers["p99_ms"],
            "p99_ms_by_kind": {
                kind: percentiles(v)["p99_ms"] for kind, v in sorted(by_kind.items())
            },
        }


async def serve(args: argparse.Namespace) -> None:
    from tests.exts.fake_discord import FakeDiscord

    server = FakeDiscord(
        bot_id=BOT_ID,
        application_id=APPLICATION_ID,
        guild_id=GUILD_ID,
        channel_id=CHANNEL_ID,
        user_id=USER_ID,
    )
    await server.start()
    loop = asyncio.get_running_loop()
    stdin = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdin), sys.stdin)

    def say(**message: Any) -> None:
        print(json.dumps(message), flush=True)

    async def command() -> str:
        return (await stdin.readline()).decode().strip()

    say(port=server.port)
    try:
        if await command() != "go":
            return
        load = Load(server, args.seed)
        # Warm-up (not counted): every kind of event once or more, one at a time.
        for event in load.events(WARMUP):
            await load.send(event)
            await load.wait_all(STEP_TIMEOUT)
        warm = load.report(list(load.sent), min(load.sent.values()))

        results: dict[str, Any] = {"warmup": {k: warm[k] for k in ("answered", "latency_max_ms")}}
        for phase in args.phases:
            say(phase=phase, state="start")
            assert await command() == "ok"
            start = time.perf_counter()
            if phase == "burst":
                keys = await load.burst(args.events)
            else:
                keys = await load.window(args.events, args.window)
            results[phase] = load.report(keys, start)
            say(phase=phase, state="end")
            assert await command() == "ok"
        results["failed_requests"] = load.failed[:10]
        results["unknown_routes"] = server.unknown
        say(results=results)
        await command()  # "quit" once the bot is closed
    finally:
        await server.close()


# ==== the bot (this process) ==================================================================


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


class GCPauses:
    """Garbage-collector pauses in this process (all threads stop for them)."""

    def __init__(self) -> None:
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses[info["generation"]].append(time.perf_counter() - self._started)

    def reset(self) -> None:
        for pauses in self.pauses.values():
            pauses.clear()

    def summary(self) -> dict[str, Any]:
        return {
            f"gen{gen}": {
                "count": len(p),
                "total_ms": round(sum(p) * 1e3, 1),
                "max_ms": round(max(p, default=0.0) * 1e3, 1),
            }
            for gen, p in self.pauses.items()
        }


class Profiler:
    """cProfile of the loop thread and of the database thread, plus database-queue waits."""

    def __init__(self, bot: Any) -> None:
        self.bot = bot
        self.queue_waits: list[float] = []
        self.job_times: list[float] = []
        self.active = False
        run_db = bot.run_db

        async def timed_run_db(func: Any, *a: Any, **kw: Any) -> Any:
            queued = time.perf_counter()
            started: list[float] = []

            def job() -> Any:
                started.append(time.perf_counter())
                return func(*a, **kw)

            result = await run_db(job)
            if self.active:
                self.queue_waits.append(started[0] - queued)
                self.job_times.append(time.perf_counter() - started[0])
            return result

        bot.run_db = timed_run_db

    async def start(self) -> None:
        self.loop_profile, self.db_profile = cProfile.Profile(), cProfile.Profile()
        self.queue_waits, self.job_times = [], []
        self.active = True
        await asyncio.get_running_loop().run_in_executor(self.bot.db_thread, self.db_profile.enable)
        self.loop_profile.enable()

    async def stop(self, phase: str) -> dict[str, Any]:
        self.loop_profile.disable()
        await asyncio.get_running_loop().run_in_executor(
            self.bot.db_thread, self.db_profile.disable
        )
        self.active = False
        for title, profile in (("event loop", self.loop_profile), ("db thread", self.db_profile)):
            for order in ("tottime", "cumulative"):
                print(f"\n==== {phase}, {title}: top 20 by {order} ====", file=sys.stderr)
                pstats.Stats(profile, stream=sys.stderr).sort_stats(order).print_stats(20)
        loop_total = pstats.Stats(self.loop_profile).total_tt
        db_total = pstats.Stats(self.db_profile).total_tt
        return {
            "db_jobs": len(self.job_times),
            "db_job_ms": percentiles(self.job_times),
            "db_queue_wait_ms": percentiles(self.queue_waits),
            "profiled_cpu_s": {"event_loop": round(loop_total, 2), "db_thread": round(db_total, 2)},
        }


def build_scaled_store(path: Path) -> int:
    """The bundled facts plus ~10,000 synthetic ones (benchmarks/latency.py's builder),
    built in a child process so that the bot's resident memory is the bot's alone."""
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--build-scaled", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip())


def _build_scaled_store(path: Path) -> int:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from latency import add_synthetic_facts

    from bot.service import open_store

    store = open_store(path)
    add_synthetic_facts(store, random.Random(7))
    count = len(store.facts())
    store.close()
    return count


def count_answers(path: Path) -> int:
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT count(*) FROM answers").fetchone()[0]


async def race(task: asyncio.Task[Any], awaitable: Any, what: str, timeout: float) -> Any:
    """Await `awaitable`, failing if the bot stops or after `timeout` seconds."""
    waiter = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({task, waiter}, timeout=timeout, return_when="FIRST_COMPLETED")
    if waiter in done:
        return waiter.result()
    waiter.cancel()
    if task in done:
        task.result()
        raise RuntimeError(f"the bot stopped while waiting for {what}")
    raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}")


async def run(args: argparse.Namespace) -> dict[str, Any]:
    import logging

    import discord.gateway
    import discord.http
    import yarl

    from bot.client import create_bot
    from bot.config import Settings

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve",
        "--seed",
        str(args.seed),
        "--events",
        str(args.events),
        "--window",
        str(args.window),
        "--phases",
        *args.phases,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None

    async def hear() -> dict[str, Any]:
        line = await child.stdout.readline()
        if not line:
            raise RuntimeError("the fake Discord process exited")
        return json.loads(line)

    def tell(text: str) -> None:
        child.stdin.write(text.encode() + b"\n")

    tmp = tempfile.TemporaryDirectory()
    db_path = Path(tmp.name) / "bot.db"
    if args.scale:
        built = time.perf_counter()
        scale_facts = build_scaled_store(db_path)
    bot = None
    task: asyncio.Task[Any] | None = None
    try:
        port = (await asyncio.wait_for(hear(), STEP_TIMEOUT))["port"]
        discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/")

        bot = create_bot(
            Settings(
                discord_token=TOKEN,
                db_path=db_path,
                home_guild_id=GUILD_ID,
                sync_on_start=False,
                question_cooldown_seconds=0,
            )
        )
        bot._connection.guild_ready_timeout = 0.1
        profiler = Profiler(bot) if args.profile else None
        gc_pauses = GCPauses()
        task = asyncio.create_task(bot.start(TOKEN), name="tradebot")
        await race(task, bot.wait_until_ready(), "the bot to be ready", STEP_TIMEOUT)
        rss_ready = rss_mb()
        tell("go")

        bot_side: dict[str, dict[str, Any]] = {}
        while True:
            message = await race(task, hear(), "the fake Discord", PHASE_TIMEOUT * 2 + 30)
            if "results" in message:
                results = message["results"]
                break
            phase = message["phase"]
            gate, stage = bot.gateway_gate, bot.answer_stage
            if message["state"] == "start":
                gate_at_start = (gate.waits, gate.overruns)
                stage.peak = 0
                gc_pauses.reset()
                if profiler:
                    await profiler.start()
            else:
                bot_side[phase] = {
                    "bot_gc_pauses": gc_pauses.summary(),
                    # gateway reads held back (LIMIT events waiting in the bot), and reads
                    # let through after MAX_WAIT without room (handlers stuck), this phase
                    "bot_gateway_waits": gate.waits - gate_at_start[0],
                    "bot_gateway_overruns": gate.overruns - gate_at_start[1],
                    # most answers in progress at once (at most ANSWER_LIMIT)
                    "bot_answers_in_progress_peak": stage.peak,
                    # sockets to the fake Discord: discord.py's connector has no limit
                    "bot_open_fds_at_end": len(os.listdir("/proc/self/fd")),
                }
                if profiler:
                    bot_side[phase]["profile"] = await profiler.stop(phase)
            tell("ok")
        for phase, extra in bot_side.items():
            results[phase].update(extra)

        results["bot_rss_after_ready_mb"] = rss_ready
        results["bot_rss_now_mb"] = rss_mb()
        # Linux reports ru_maxrss in KiB; the fake Discord runs in another process.
        results["bot_peak_rss_mb"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        )
        if args.scale:
            results["scale_facts"] = scale_facts
            results["scale_build_s"] = round(time.perf_counter() - built, 1)
        await bot.close()  # writes the queued answer records
        results["answer_records_written"] = count_answers(db_path)
        return results
    finally:
        if bot is not None:
            await bot.close()
        if task is not None:
            try:
                await asyncio.wait_for(task, STEP_TIMEOUT)
            except (TimeoutError, Exception):
                task.cancel()
        if child.returncode is None:
            tell("quit")
            try:
                await asyncio.wait_for(child.wait(), STEP_TIMEOUT)
            except TimeoutError:
                child.kill()
                await child.wait()
        tmp.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1000, help="events per phase")
    parser.add_argument("--window", type=int, default=10, help="in flight in the window phase")
    parser.add_argument("--phases", nargs="+", default=["burst", "window"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true", help="profile every phase")
    parser.add_argument("--scale", action="store_true", help="~10,000 more facts in the store")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--build-scaled", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_scaled:
        print(_build_scaled_store(Path(args.build_scaled)))
        return
    if args.serve:
        asyncio.run(serve(args))
        return
    started = time.perf_counter()
    results = asyncio.run(run(args))
    results["run_wall_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
