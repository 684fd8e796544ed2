"""Who levies a tariff on whom: importer and exporter from the words around each party.

"US tariffs on Chinese goods" and "the duty Washington levies on Chinese products" are
importer US / exporter CN; "China's tariffs on US products" and "the levy China applies
to goods shipped from the US" are importer CN / exporter US. A lone country reads as the
exporter ("the tariff on China"): the tariff others put on its goods.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from bot import datafiles
from bot.products import synonym_words
from bot.understand.entities import Mention

WORD_LISTS = (
    "goods", "arrival", "levy", "exporter_before", "importer_before", "role_skip",
    "not_a_goods_modifier", "pair_words", "levy_adjectives", "levy_verbs", "levy_leads",
    "global_words", "global_phrases", "comparing_words", "retaliation", "buyers",
)  # fmt: skip


class DirectionWordsError(ValueError):
    pass


def parse_direction_words(data: dict) -> dict[str, frozenset[str]]:
    """Validate bot/data/direction.toml: every list present, lower-case words (phrases
    only in `global_phrases`), nothing else."""
    single = tuple(k for k in WORD_LISTS if k != "global_phrases")
    try:
        found = datafiles.word_lists(data, WORD_LISTS, "direction.toml", single_words=single)
    except ValueError as exc:
        raise DirectionWordsError(str(exc)) from None
    return {key: frozenset(words) for key, words in found.items()}


@lru_cache(maxsize=1)
def load_direction_words() -> dict[str, frozenset[str]]:
    return parse_direction_words(tomllib.loads(datafiles.read_text("direction.toml")))


_WORDS = load_direction_words()
BASE_GOODS = _WORDS["goods"]
GOODS = BASE_GOODS | synonym_words()  # "South African wines", "Vietnamese cabinets"
ARRIVAL = _WORDS["arrival"]  # "at the US border": where goods arrive levies
LEVY = _WORDS["levy"]
EXPORTER_BEFORE = _WORDS["exporter_before"]
IMPORTER_BEFORE = _WORDS["importer_before"]
ROLE_SKIP = _WORDS["role_skip"]
NOT_A_GOODS_MODIFIER = _WORDS["not_a_goods_modifier"]
PAIR_WORDS = _WORDS["pair_words"]
LEVY_ADJECTIVES = _WORDS["levy_adjectives"]
LEVY_VERBS = _WORDS["levy_verbs"]
LEVY_LEADS = _WORDS["levy_leads"]
GLOBAL_WORDS = _WORDS["global_words"]
GLOBAL_PHRASES = tuple(sorted(_WORDS["global_phrases"]))
COMPARING_WORDS = _WORDS["comparing_words"]
RETALIATION = _WORDS["retaliation"]  # "China's retaliatory tariffs": the retaliator levies
BUYERS = _WORDS["buyers"]  # "US importers pay ...": the buyers' country levies


@dataclass(frozen=True)
class Direction:
    importer: str | None
    exporter: str | None
    both_ways: bool = False
    """True when the question names two parties without saying who taxes whom."""


def _role(
    words: list[str], m: Mention, possessive: bool = False, party_at: frozenset[int] = frozenset()
) -> str | None:
    """'importer', 'exporter' or None for one party mention, from its neighbours."""
    after = words[m.end : m.end + 3]
    label = words[m.start - 1] if m.start > 0 else ""
    if label in ("importer", "importing"):  # "importer US, exporter CN"
        return "importer"
    if label in ("exporter", "exporting", "origin"):
        return "exporter"
    # "shipments to the US", "goods going into America": the destination levies.
    j = m.start - 1
    while j >= 0 and words[j] in ("the", "all"):
        j -= 1
    if (
        j >= 0
        and words[j] in IMPORTER_BEFORE
        and not (
            words[j] == "to" and j > 0 and words[j - 1] in LEVY | {"applied", "applies", "apply"}
        )
        and not (after and after[0] in LEVY)  # "what happened to the China tariffs"
    ):
        return "importer"
    # "Chinese goods", "US products", "China's exports": the goods' origin ("China made
    # a cut" is a verb, not "China-made").
    # "Chinese bike parts", "American farm goods": one word may stand before the goods.
    goods_second = (
        len(after) > 1
        and after[1] in GOODS
        and after[0] not in LEVY | NOT_A_GOODS_MODIFIER
        and not possessive  # "the US's China products": the other one's goods
        and m.end not in party_at  # "US-China goods": a pair, then the goods
    )
    if after and after[0] in ARRIVAL:
        return "importer"
    if m.form != "capital" and m.start > 0 and words[m.start - 1] in GOODS:
        return "exporter"  # "café brasileiro", "acciaio italiano": the adjective follows
    if after and after[0] in BUYERS and not (len(after) > 1 and after[1] in ("of", "in")):
        return "importer"
    if (
        after
        and (after[0] in GOODS or goods_second)
        and not (after[0] == "made" and len(after) > 1 and after[1] not in GOODS)
    ):
        if len(after) > 1 and after[0] in ("imports", "importers") and after[1] == "from":
            return "importer"  # "US imports from China"
        return "exporter"
    # Walk back over filler words to the word that governs the party.
    i = m.start - 1
    while i >= 0 and words[i] in ROLE_SKIP:
        i -= 1
    before = words[i] if i >= 0 else ""
    if before == "of" and i > 0 and words[i - 1] in GOODS:
        return "exporter"  # "clothing of China" (de Chine)
    if before in EXPORTER_BEFORE and _levies(words, m, possessive) == "importer":
        return "importer"  # "the rate for US tariffs on China", "news on China's duties"
    if before in IMPORTER_BEFORE:
        if before == "to" and i > 0 and words[i - 1] in LEVY | {"applied", "applies", "apply"}:
            return "exporter"  # "applied to Chinese goods"
        return "importer"
    if before in EXPORTER_BEFORE:
        if before == "from" and i > 0 and words[i - 1] in ("imports", "importing", "import"):
            return "exporter"
        if before == "from" and i > 0 and words[i - 1] in LEVY:
            return "importer"  # "the levy from Uncle Sam on Chinese goods"
        if before == "in" and not (i > 0 and words[i - 1] in ("made", "produced", "manufactured")):
            return None
        return "exporter"
    return _levies(words, m, possessive)


def _levies(words: list[str], m: Mention, possessive: bool) -> str | None:
    """'importer' when the words after a party say it levies ("US tariffs", "China's
    duties", "Beijing charges", "US global import surcharge", "China lowered its tariffs",
    "China is taxing"); 'levy-noun' for a bare "China tariff", which names the levier or
    the target depending on the other party; else None."""
    # A bare "China tariff" stays unassigned (a lone country reads as the exporter);
    # a possessive, the US, or a verb makes the party the one that levies.
    verb_seen = possessive or m.code == "US"
    if possessive and words[m.end : m.end + 1] and words[m.end].endswith("%"):
        return "importer"  # "China's 125%"
    for word in words[m.end : m.end + 5]:
        if word in LEVY_VERBS or word in RETALIATION:
            return "importer"
        if word in LEVY:
            return "importer" if verb_seen else "levy-noun"
        if word in LEVY_LEADS:
            verb_seen = True
        elif word not in LEVY_ADJECTIVES:
            break
    return None


def is_global(words: list[str]) -> bool:
    """The question is about a tariff on every trading partner ("across the board")."""
    text = f" {' '.join(words)} "
    return bool(GLOBAL_WORDS & set(words)) or any(f" {p} " in text for p in GLOBAL_PHRASES)


def resolve(
    words: list[str], mentions: list[Mention], possessive: set[int] | None = None
) -> Direction:
    """`possessive` holds the start index of party mentions written "X's"."""
    direction = _resolve(words, mentions, possessive or set())
    parties = {m.code for m in mentions if m.kind == "party"}
    if (
        len(parties) == 2
        and direction.importer
        and direction.exporter
        and COMPARING_WORDS & set(words)
    ):
        # "is China's rate higher than the US one?": each side's tariff on the other.
        return Direction(direction.importer, direction.exporter, both_ways=True)
    if is_global(words) and direction.exporter is None and not direction.both_ways:
        return Direction(direction.importer, "WORLD")
    # "does the global surcharge apply to Japan?" keeps Japan as the exporter: the answer
    # looks for tariffs on Japanese goods, the ones on every partner included.
    return direction


def _resolve(words: list[str], mentions: list[Mention], possessive: set[int]) -> Direction:
    parties: list[Mention] = []
    for m in mentions:
        if m.kind == "party" and all(p.code != m.code for p in parties):
            parties.append(m)
    if not parties:
        return Direction(None, None)
    party_at = frozenset(m.start for m in mentions if m.kind == "party")
    roles = [_role(words, m, m.start in possessive, party_at) for m in parties]
    # A later mention can say what the first did not: "us-china tariffs: what does china
    # charge on us stuff" (first mentions: a pair; later ones: China levies on US goods).
    later_roles = False
    for n, first in enumerate(parties):
        if roles[n] in ("importer", "exporter"):
            continue
        for m in mentions:
            if m.kind == "party" and m.code == first.code and m.start != first.start:
                role = _role(words, m, m.start in possessive, party_at)
                if role in ("importer", "exporter"):
                    roles[n], later_roles = role, True
                    break
    if len(parties) > 1:
        # "China tariffs on US goods": the levy noun names the levier when the other party
        # is the exporter; "Washington cut the China levy": otherwise it names the target.
        other_exports = "exporter" in roles
        roles = [
            ("importer" if other_exports else "exporter") if r == "levy-noun" else r for r in roles
        ]
    importer = next((p.code for p, r in zip(parties, roles, strict=True) if r == "importer"), None)
    exporter = next(
        (
            p.code
            for p, r in zip(parties, roles, strict=True)
            if r == "exporter" and p.code != importer
        ),
        None,
    )
    if len(parties) == 1:
        only = parties[0]
        if importer:
            return Direction(importer, None)
        return Direction(None, only.code)
    a, b = parties[0].code, parties[1].code
    between = words[parties[0].end : parties[1].start]
    if (
        all(w in PAIR_WORDS for w in between)
        and not (roles[1] == "exporter" and any(w in ("on", "against") for w in between))
        # "china vs us goods": the goods say whose exports are taxed
        and not (
            roles[1] == "exporter"
            and parties[1].end < len(words)
            and words[parties[1].end] in GOODS
        )
        and parties[0].start not in possessive  # "America's China tariff": one way
        and not later_roles
    ):
        return Direction(a, b, both_ways=True)  # "US-China tariffs", "America vs China"
    if importer and not exporter:
        exporter = b if importer == a else a
    elif exporter and not importer:
        importer = b if exporter == a else a
    if importer and exporter:
        return Direction(importer, exporter)
    if parties[0].start in possessive:  # "China's US tariffs", "US ka China pe tariff"
        return Direction(a, b)
    return Direction(a, b, both_ways=True)
