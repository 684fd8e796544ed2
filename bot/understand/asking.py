"""The part of a question that asks, when the rest is context ("We import furniture and
the paperwork is a mess. What is the tariff now?"), and its clauses."""

from __future__ import annotations

import re

from bot.understand.query_flags import SENTENCES
from bot.understand.scan import trailing_context

CLAUSES = re.compile(r"\s[—–-]\s|[,;:]\s|\?\s")  # where a question's clauses part
_LEADING_CONTEXT = re.compile(
    r"^\s*(?:(?:yo|ok|okay|so|hey|well|btw|and)\W+)?"
    r"(?:now that|given that|seeing (?:as|that)|considering (?:that)?)\b[^,?]*,\s*(.+)$",
    re.IGNORECASE | re.DOTALL,
)
_QUESTION_START = re.compile(
    r"^\W*(?:so\s+|and\s+|ok\s+)?(?:what|how|when|where|which|who|whose|is|are|was|were|"
    r"did|does|do|can|could|will|would|has|have)\b",
    re.IGNORECASE,
)


def ask_part(question: str) -> str | None:
    """The part of a question that asks, when the rest is context: after a turn ("...,
    but my question is: ..."), after a leading "now that ...," clause, or the question
    sentence among several ("The Supreme Court just ruled. What's the tariff now?")."""
    turn = list(FOCUS.finditer(question))
    if turn and question[turn[-1].end() :].strip():
        return question[turn[-1].end() :]
    leading = _LEADING_CONTEXT.match(question)
    if leading:
        return leading.group(1)
    trailing = trailing_context(question)
    if trailing:
        return trailing
    sentences = [s for s in SENTENCES.split(question.strip()) if s.strip()]
    if len(sentences) < 2:
        return None
    asking = ["?" in s or bool(_QUESTION_START.match(s)) for s in sentences]
    if asking.count(True) != 1:  # several questions, or none: no single ask to prefer
        return None
    return sentences[asking.index(True)]


FOCUS = re.compile(
    r"\b(?:but|however|anyway|anyways|my (?:real |actual )?question is|"
    r"what i (?:really |actually )?(?:need|want)(?: to know)?(?: is)?)\b\s*[:,-]?",
    re.IGNORECASE,
)
