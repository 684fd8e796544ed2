"""Where the bot's data files (bot/data/*.toml) are read from.

Every loader reads through `read_text`, so a deployment, a test or a moderator trying a
new kind can put changed copies of some files in a folder named by `TRADEBOT_DATA_DIR`:
a file there replaces the packaged file of the same name; the others stay packaged.
That is how adding a fact kind, an intent or a product group stays a data change.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

DATA_DIR_ENV = "TRADEBOT_DATA_DIR"


def overlay_dir() -> Path | None:
    """The folder whose files replace packaged data files, if one is configured."""
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value) if value else None


def read_text(name: str) -> str:
    """The text of data file `name` (e.g. "intents.toml"): the overlay's copy if it has
    one, else the packaged file."""
    folder = overlay_dir()
    if folder is not None and (folder / name).is_file():
        return (folder / name).read_text(encoding="utf-8")
    return resources.files("bot.data").joinpath(name).read_text(encoding="utf-8")


def word_lists(
    data: dict, keys: tuple[str, ...], file: str, *, single_words: tuple[str, ...] = ()
) -> dict[str, tuple[str, ...]]:
    """The word lists `keys` of a data file, validated: each a non-empty list of
    lower-case words or phrases (single words only for `single_words`), no other key
    that is a list. Raises ValueError with one line naming the file and the list."""
    unknown = {k for k, v in data.items() if isinstance(v, list)} - set(keys)
    if unknown:
        raise ValueError(f"{file}: unknown list(s) {', '.join(sorted(unknown))}")
    lists = {}
    for key in keys:
        value = data.get(key)
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(w, str) and w.strip() and w == w.lower() for w in value)
        ):
            raise ValueError(f"{file}: `{key}` is a list of lower-case words")
        if key in single_words and any(" " in w for w in value):
            raise ValueError(f"{file}: `{key}` holds single words only")
        lists[key] = tuple(value)
    return lists
