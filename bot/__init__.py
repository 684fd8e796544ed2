"""Tradebot: answers questions about trade tariffs with the source and date of every fact.

The core (store, understanding, answers) never imports discord.py; only `bot.client` and
`bot.exts` do, so the CLI stays fast and the core is testable without Discord.
"""

__version__ = "0.1.0"
