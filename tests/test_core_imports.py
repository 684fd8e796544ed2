"""The core and the CLI never import discord.py (fast start, testable without Discord)."""

from __future__ import annotations

import subprocess
import sys


def test_cli_and_core_do_not_import_discord_or_matplotlib() -> None:
    code = (
        "import sys, bot.cli, bot.service, bot.store, bot.present;print('discord' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
