"""Discord's 2,000-character limit and its mentions are the Discord door's business: the
core's answer is whole, `render.message_text` fits it."""

from __future__ import annotations

from datetime import date

from bot.answer.answer import Answer
from bot.exts.render import MAX_MESSAGE, fit_message, message_text

LINK = "https://medium.com/@author/post"


def answer_with(text: str) -> Answer:
    return Answer(
        question="q",
        intent="tariff_rate",
        confidence=1.0,
        text=text,
        facts=[],
        sources=[],
        suggestions=[],
        as_of=date(2025, 6, 1),
        outcome="answer",
    )


def test_a_long_answer_is_cut_at_a_line_break_within_the_limit() -> None:
    lines = [f"line {n} " + "word " * 30 for n in range(40)]
    fitted = message_text(answer_with("\n".join(lines)))
    assert len(fitted) <= MAX_MESSAGE and fitted.endswith(" …")
    kept = fitted.removesuffix(" …").split("\n")
    assert kept == lines[: len(kept)]  # whole lines only


def test_a_long_line_is_cut_between_words() -> None:
    fitted = fit_message("word " * 1000)
    assert len(fitted) <= MAX_MESSAGE and fitted.removesuffix(" …").endswith("word")


def test_no_mention_can_ping_but_a_links_at_sign_stays() -> None:
    fitted = message_text(answer_with(f"@everyone <@123> @here see {LINK}"))
    assert "@everyone" not in fitted and "<@123>" not in fitted and "@here" not in fitted
    assert LINK in fitted


def test_a_short_answer_is_unchanged() -> None:
    assert message_text(answer_with("US tariffs on Chinese goods: 30%")) == (
        "US tariffs on Chinese goods: 30%"
    )
