"""The core and the CLI never import discord.py (fast start, testable without Discord)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def test_cli_and_core_do_not_import_discord_or_matplotlib() -> None:
    code = (
        "import sys, bot.cli, bot.service, bot.store, bot.present;print('discord' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_one_shot_ask_imports_neither_discord_nor_pydantic(tmp_path) -> None:
    """`tradebot ask` answers a question in a cold process: its latency is the start-up,
    so the commands split across bot/cli_*.py must keep discord.py, pydantic and aiohttp
    (the Federal Register client) lazy."""
    code = (
        "import sys; from bot.cli import main; sys.argv = ['tradebot', 'ask', 'US tariff on "
        f"China', '--json', '--db', {str(tmp_path / 'cold.db')!r}]\n"
        "try:\n main()\nexcept SystemExit: pass\n"
        "heavy = ('discord', 'pydantic', 'pydantic_settings', 'matplotlib', 'aiohttp')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    *answer, loaded = result.stdout.strip().splitlines()
    assert '"intent": "tariff_rate"' in answer[0] and loaded == "[]"


@pytest.mark.parametrize(
    "module",
    ["common", "facts", "ask", "review", "sources", "discord"],
)
def test_each_command_module_imports_on_its_own(module: str) -> None:
    """The command modules import their shared helpers from bot.cli_common, never from
    bot.cli, so none needs bot.cli imported first (and `python -m bot.cli` works)."""
    code = f"import sys, bot.cli_{module};print('bot.cli' in sys.modules, 'discord' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def test_python_m_bot_cli_lists_every_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "--help"], capture_output=True, text=True, check=True
    )
    listed = {line.split()[0] for line in result.stdout.split("Commands:")[1].splitlines() if line}
    assert listed == {
        "ask", "chart", "chat", "doctor", "facts", "review", "run", "sources", "sync",
    }  # fmt: skip
