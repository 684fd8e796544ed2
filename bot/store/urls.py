"""What a source link may be: the rules every door applies before a URL is stored.

A source link is shown to readers and opened by them (as a masked link in Discord), so
it must be exactly what it looks like. Kept apart from `validate` because the display
side (`bot.safe_text`) checks links with the same rule before building one.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlparse

# Characters that make a link look like another one: zero-width, word joiner, BOM and
# bidirectional controls. Control characters (category Cc) are refused as well.
INVISIBLE_CHARS = frozenset(
    [
        *map(chr, range(0x200B, 0x2010)),
        "\u2060",
        "\ufeff",
        *map(chr, range(0x202A, 0x202F)),
        *map(chr, range(0x2066, 0x206A)),
    ]
)
# Raw brackets break the <url> and [text](url) link syntax of chat messages.
URL_RAW_FORBIDDEN = {"(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "[": "%5B", "]": "%5D"}
HOST_PATTERN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9]\Z")


def url_problem(url: str) -> str | None:
    """Why `url` cannot be a source link, or None when it can.

    A source link is shown to readers and opened by them, so it must be exactly what it
    looks like: https, no `user@` part (`https://www.ustr.gov@evil.example/` goes to
    evil.example), no backslash, no invisible or control characters, an ASCII host
    (an internationalised host must be given in its punycode form, xn--…), and the
    brackets ()<>[] only percent-encoded. Nothing is rewritten: the URL is the
    source's identity, so what is stored is what was given.
    """
    shown = url.encode("unicode_escape").decode("ascii")
    if any(ch in INVISIBLE_CHARS or unicodedata.category(ch) == "Cc" for ch in url):
        return f"'{shown}' contains invisible or control characters; type the link again"
    if "\\" in url or " " in url:
        return f"'{shown}' contains a space or a backslash; give the link as the browser shows it"
    raw_brackets = sorted({ch for ch in url if ch in URL_RAW_FORBIDDEN})
    if raw_brackets:
        codes = ", ".join(f"{ch} as {URL_RAW_FORBIDDEN[ch]}" for ch in raw_brackets)
        return f"'{url}' contains raw brackets; percent-encode them ({codes})"
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.netloc:
        return f"'{url}' is not an https:// link; give the full https URL"
    if "@" in parsed.netloc:
        return f"'{url}' has a user@ part before the host; give the plain https://host/… link"
    host = parsed.hostname or ""
    if not host.isascii():
        return f"'{shown}' has a non-ASCII host; give the host in its ASCII (punycode, xn--…) form"
    try:
        parsed.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return f"'{url}' has an invalid port; give the plain https://host/… link"
    if not HOST_PATTERN.match(host):
        return f"'{url}' does not have a valid host name such as www.example.org"
    return None
