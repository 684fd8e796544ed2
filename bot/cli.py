"""The `tradebot` command: a thin click layer over `bot.service`.

Exit codes: 0 success; 1 the request was understood but could not be done (unknown fact,
edit conflict); 2 bad input (usage, invalid values), with the reason on stderr.
discord.py is imported only by `run` and `sync`, so the other commands start fast.

This module holds the root group and registers the commands, one module per job:
bot/cli_common.py (what they share), cli_facts.py, cli_ask.py (ask, chat, chart),
cli_review.py, cli_sources.py, cli_discord.py (run, sync) and bot/doctor.py.
"""

from __future__ import annotations

import click

from bot import __version__
from bot.cli_ask import ask, chart, chat
from bot.cli_common import TradebotGroup
from bot.cli_discord import run, sync
from bot.cli_facts import facts
from bot.cli_review import review_group
from bot.cli_sources import sources
from bot.doctor import doctor


@click.group(cls=TradebotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tradebot")
def main() -> None:
    """Tradebot: trade-tariff answers with the source and date of every fact."""


for command in (facts, ask, chat, chart, review_group, run, sync, sources, doctor):
    main.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    main()
