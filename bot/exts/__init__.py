"""Discord extensions: thin adapters from Discord events and commands to `bot.service`."""

EXTENSIONS = (
    "bot.exts.errors",
    "bot.exts.feedback",
    "bot.exts.questions",
    "bot.exts.lookups",
    "bot.exts.moderation",
    "bot.exts.source_moderation",  # adds /fact source-edit|source-history to moderation
    "bot.exts.change_moderation",  # adds /fact change to moderation
    "bot.exts.alerts",
    "bot.exts.source_watch",  # the Federal Register watcher (bot/feeds/)
    "bot.exts.reminders",  # records falling due, to the moderators; the presence
)
