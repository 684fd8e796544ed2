"""Any message at all: no exception, a reply within Discord's limits, nobody pinged.

The time per question is reported by benchmarks/latency.py (worst case); here only a
generous bound catches a pathological regex or fuzzy blow-up.
"""

from __future__ import annotations

import time
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.exts.render import answer_embed

PIECES = st.sampled_from(
    [
        "@everyone",
        "@here",
        "<@123456789012345678>",
        "<@&987654321098765432>",
        "<#1234>",
        "\u200b",
        "\u200d",
        "\ufeff",
        "```py\nprint(1)\n```",
        "**bold**",
        "||spoiler||",
        "'; DROP TABLE facts; --",
        '" OR 1=1 --',
        "tariff",
        "China",
        "US",
        "on 1 May 2025",
        "145%",
        "🇨🇳",
        "é",
        "\n",
        "\t",
        "((((",
        "[[",
        "{country}",
        "%",
        "\\",
        "ﷺ" * 3,
    ]
)
MESSAGES = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=60).map(" ".join),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=8), st.integers(100, 600)),
)
MAX_SECONDS = 0.5  # far above the ~1 ms typical: only a blow-up can reach it


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(message=MESSAGES)
def test_any_message_gets_a_safe_reply(assistant, message: str) -> None:
    start = time.perf_counter()
    answer = assistant.ask(message, date(2025, 6, 1))
    elapsed = time.perf_counter() - start
    assert elapsed < MAX_SECONDS, (elapsed, message[:80])
    assert len(answer.text) <= 2000
    for ping in ("@everyone", "@here", "<@", "<#"):
        assert ping not in answer.text
    embed = answer_embed(answer)
    assert len(embed) <= 6000 and len(embed.description or "") <= 4096
    assert "@everyone" not in (embed.description or "")
    assert answer.to_json()["question"] == message


def test_four_thousand_character_message(assistant) -> None:
    message = ("what is the US tariff on China " * 140)[:4000]
    answer = assistant.ask(message, date(2025, 6, 1))
    assert len(answer.text) <= 2000
