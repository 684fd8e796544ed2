"""Stored text is shown as text: what Discord would display, what a terminal receives.

`shown` models the one Discord rule the escaping relies on: a backslash before any ASCII
punctuation character displays that character (simple-markdown's escape rule). The
other helpers look for what Discord would turn into markup: a masked link, bold, a
mention, an invite.
"""

from __future__ import annotations

import json
import re

import pytest

from bot.safe_text import (
    for_discord,
    for_terminal,
    json_for_terminal,
    link,
    mentions_inert,
    plain,
    url_text,
)

HOSTILE = (
    "**x** [masked](https://evil.example) discord.gg/abc @everyone <@123> "
    "\u202eevil\u202c \x1b[31mred\x1b[0m tar\u200biff"
)
HOSTILE_SHOWN = (
    "**x** [masked](https://evil.example) discord.gg/abc @everyone <@123> evil red tariff"
)
MEDIUM = "https://medium.com/@author/post"
INVITE = re.compile(r"discord(?:app)?\.com/invite/|discord\.gg/", re.IGNORECASE)
UNSAFE_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def shown(markdown: str) -> str:
    """What Discord displays: escapes resolved, the zero-width space that keeps
    '@everyone' inert is invisible."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u200b", "")


def masked_links(markdown: str) -> list[str]:
    """The targets of `[text](url)` links Discord would render."""
    return re.findall(r"(?<!\\)\[(?:\\.|[^\\\]])*(?<!\\)\]\(([^)\s]+)\)", markdown)


def live_markup(markdown: str) -> list[str]:
    """Unescaped characters that would start bold/italic/code/spoiler, a mention (<@,
    <#, <t:), a ping (@everyone) or an invite."""
    found = re.findall(r"(?<!\\)(?:\*|`|\|\||~~|<[@#t:/])", markdown)
    found += re.findall(r"@(?:everyone|here)", markdown)
    return found + INVITE.findall(markdown)


def test_hostile_text_is_shown_exactly_as_typed_and_does_nothing() -> None:
    out = for_discord(HOSTILE)
    assert shown(out) == HOSTILE_SHOWN
    assert masked_links(out) == [] and live_markup(out) == []
    assert not UNSAFE_CHARS.search(out.replace("\u200b", ""))


def test_escaped_once_not_twice() -> None:
    assert for_discord("**x**") == r"\*\*x\*\*"
    assert for_discord("a\\b") == "a\\\\b"  # a typed backslash is shown, not applied


@pytest.mark.parametrize(
    "text",
    [
        "# heading",
        "> quote",
        ">>> quote",
        "-# small",
        "- item",
        "1. item",
        "||spoiler||",
        "~~gone~~",
        "_it_",
        "__under__",
        "`code`",
        "<t:0:R>",
        "<#123>",
        "</fact add:1>",
        "x](https://evil.example)",
    ],
)
def test_markdown_constructs_are_text(text: str) -> None:
    out = for_discord(text)
    assert shown(out) == text
    assert out != text  # something was escaped
    assert masked_links(out) == [] and live_markup(out) == []


def test_plain_words_are_left_alone() -> None:
    text = "May 13, 2025 | US Reduces Tariffs on Chinese goods to 30% (a 115-point cut)"
    assert for_discord(text) == text
    assert for_discord("valid_from and snake_case") == "valid_from and snake_case"


@pytest.mark.parametrize(
    "invite",
    [
        "discord.gg/abc",
        "https://discord.gg/abc",
        "DISCORD.GG/abc",
        "https://discord.com/invite/abc",
        "discordapp.com/invite/abc",
        "https://example.org/redirect/discord.gg/abc",
        "xdiscord.gg/abc",
    ],
)
def test_invites_are_shown_but_never_unfurl(invite: str) -> None:
    out = for_discord(f"join {invite} now")
    assert shown(out) == f"join {invite} now"
    assert not INVITE.search(out) and "://" not in out


def test_a_link_with_an_at_sign_stays_intact() -> None:
    assert for_discord(f"read {MEDIUM} now") == f"read {MEDIUM} now"
    assert link("A post", MEDIUM) == f"[A post]({MEDIUM})"
    assert url_text(MEDIUM) == f"<{MEDIUM}>"
    assert mentions_inert(f"@everyone {MEDIUM}") == f"@\u200beveryone {MEDIUM}"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.ustr.gov@evil.example/",  # goes to evil.example
        "http://example.org/a",
        "https://discord.gg/abc",
        "https://example.org/a)[x](https://evil.example",
        "javascript:alert(1)",
    ],
)
def test_links_are_built_only_from_safe_urls(url: str) -> None:
    out = link("Title", url)
    assert masked_links(out) == [] and out == "Title"
    assert "://" not in url_text(url).replace("\\:", "")  # shown, not a link


def test_a_title_cannot_hide_where_its_link_goes() -> None:
    out = link("[click](https://evil.example)", MEDIUM)
    assert masked_links(out) == []  # the title names a link: shown next to the real one
    assert shown(out).startswith("[click](https://evil.example)") and out.endswith(f"<{MEDIUM}>")
    out = link("**Big** news ]( x", MEDIUM)
    assert masked_links(out) == [MEDIUM] and shown(out) == f"[**Big** news ]( x]({MEDIUM})"


def test_plain_removes_only_invisible_and_control_characters() -> None:
    assert plain("**x**\u202e \x1b[1mok\u200b") == "**x** ok"
    assert plain("a @everyone") == "a @\u200beveryone"


def test_terminal_output_has_no_escape_sequences() -> None:
    text = (
        "\x1b[31mred\x1b[0m \x1b]0;new title\x07 \x1b]8;;https://evil.example\x1b\\click"
        "\x1b]8;;\x1b\\ \x9b2J \u202eabc\u202c tar\u200biff a\rb\tc\nd \x07\x7f"
    )
    # a carriage return would let the rest overwrite the start of the line: a new line
    assert for_terminal(text) == "red  click  abc tariff a\nb\tc\nd "


def test_json_for_a_terminal_is_the_same_data_without_control_characters() -> None:
    value = {"statement": "\x1b[31m\x9b2J\u202eabc\u200b\u2028", "n": [1, "é"]}
    out = json_for_terminal(value, indent=2)
    assert json.loads(out) == value
    assert not UNSAFE_CHARS.search(out) and "\u2028" not in out and "é" in out
