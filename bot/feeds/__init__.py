"""Watching official sources: the Federal Register's documents as leads for moderators.

Most US tariff changes are published in the Federal Register before any news story, so
the bot asks its public API for new documents of the trade agencies, decides which are
relevant (bot/data/watch.toml), keeps each once as a lead (table `source_leads`) and
posts the relevant ones to the moderators' channel. A lead is never a fact: a moderator
records the fact (with the document as its source) or dismisses the lead.

    watch.py      the query and the relevance rules, from bot/data/watch.toml
    documents.py  a documents.json response as typed `Document` records
    relevance.py  relevant or not, and why, in words
    client.py     the HTTP client (aiohttp): retries, Retry-After, paging, polite pace
    leads.py      the leads store: recorded once, posted once, dismissed or linked
    migration.py  the `source_leads` table (migration 008)

Nothing here imports discord.py: the CLI (`tradebot sources check`) and the Discord
watcher (bot/exts/source_watch.py) share it.
"""
