"""From a question to an `Understanding`: intent, confidence, parties, direction, dates.

Matching combines two kinds of evidence, because either alone fails:
- fuzzy similarity (rapidfuzz) of the question, with entities and dates replaced by slot
  words, to each intent's example phrasings, which are normalised and indexed once;
- keyword evidence: an intent is only a candidate when its `requires` words are present
  and none of its `forbid` words; its `boost` words add to the score.
Pure fuzzy matching lets most off-topic questions through (any shared word scores high
on short questions), so the keyword gate is what keeps "what's the exchange rate?" out.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain

from rapidfuzz import fuzz, process

from bot.cases import load_cases
from bot.followup import load_follow_ups
from bot.products import load_products
from bot.query import Query
from bot.search_words import load_retrieval_words
from bot.understand.asking import CLAUSES, FOCUS, ask_part
from bot.understand.aspects import load_aspects
from bot.understand.dates import HOLIDAYS, MONTHS, SENTINEL, DateRange, DateReader
from bot.understand.direction import Direction, resolve
from bot.understand.entities import EntityIndex, Mention
from bot.understand.foreign import load_foreign_words
from bot.understand.keywords import IntentKeys, WordSet, any_alternative_holds
from bot.understand.query_flags import build_query, venue_codes
from bot.understand.readings import (
    Candidate,
    asks_current_value,
    change_needs_a_change_word,
    compares_two_points,
    fired_rules,
    named_topic,
    prefer_change,
    prefer_rate,
    reading_of,
    truce_as_occasion,
)
from bot.understand.rules import SLOTS, Intent, Rules, to_matchable
from bot.understand.scan import possessive_words
from bot.understand.text import MAX_UNDERSTOOD_CHARS, normalise
from bot.vocabulary import Vocabulary

SCORERS: dict[str, Callable[..., float]] = {
    "ratio": fuzz.ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "QRatio": fuzz.QRatio,
    "WRatio": fuzz.WRatio,
    "partial_ratio": fuzz.partial_ratio,
}
LONG_QUESTION_WORDS = 10
LONG_DISCOUNT = 0.85
LONG_RESCORE = 2
LONG_POOL = 30
SUBSET_WORDS = 8  # examples shorter than this get less credit as a subset of a question
MIN_SIMILARITY = 25
LEARNED_MIN_SIMILARITY = 90  # below this an intent cannot reach the threshold: skip the work
PERCENT_WORD = re.compile(r"\d+(?:\.\d+)?%")
TARIFF_INTENTS = ("tariff_rate", "rate_change")
OTHER_SENSE = object()  # _score: the topic's words, in another sense of them
META_INTENTS = frozenset({"help", "greeting", "sources"})
FOCUS_MARGIN = 0.2  # a clear winner over the whole text is not re-read from its ask part
RESCUE_MARGIN = 0.05  # the ask part may lift a near miss of the whole text, nothing weaker


# The entity an intent is about: a close call goes to the reading whose entity is named.
ENTITY_OF_INTENT = {
    "tariff_rate": "party",
    "rate_change": "party",
    "negotiation_status": "party",
    "deals": "party",
    "court_ruling": "court",
    "leaders": "official",
}
SLOT_FOR_KIND = {
    "party": SLOTS["{country}"],
    "court": SLOTS["{court}"],
    "official": SLOTS["{official}"],
}


CLAUSE_REREAD_BELOW = 0.7  # a clear reading is not read again without its clause
CLAUSE_TOPIC_MARGIN = 0.1  # an event clause is the topic when reading it as words wins by this
DATE_WORDS = frozenset(MONTHS) | frozenset(chain.from_iterable(h.split() for h in HOLIDAYS)) | {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
}  # fmt: skip
# Anchor words that name no particular event on their own ("the truce", "the ruling").
GENERIC_EVENT_WORDS = frozenset(
    "truce trade tariff court ruling decision extension pause suspension surcharge new global "
    "deal august hearing".split()
)
# Intents about parties: a question naming only strangers is about someone else.
PEOPLE_TOPICS = frozenset({"truce", "deals", "negotiation_status", "leaders"})


@dataclass
class Understanding:
    question: str
    normalised: str
    matchable: str
    intent: str | None
    confidence: float
    candidates: list[Candidate]
    mentions: list[Mention]
    direction: Direction
    dates: list[DateRange]
    ambiguous: bool = False
    words: list[str] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    """The words that `mentions` index into (dates kept as the `qdate` word)."""
    eligible: frozenset[str] = frozenset()
    """Every intent whose required words are present and forbidden words absent."""
    named_events: tuple[str, ...] = ()
    """Facts the question names as a topic, not a date ("who met in Geneva?", "what came
    out of the London talks?"): the ids of the event phrases in its words."""
    too_long: bool = False
    """Longer than MAX_UNDERSTOOD_CHARS: not read at all (never a part of it as if it
    were the whole), and answered by asking for one question."""
    query: Query | None = None
    """What the question asks, built once from all of the above at the end of
    `Engine.understand()`: the only thing the answer side reads."""
    product: str | None = None
    """The product group the question names ("steel", "electric-vehicles"; see
    bot/data/products.toml), or None: extra information for answers, which must not give
    the all-goods rate as the product's. It never decides the direction; for the intent it
    is evidence like a keyword (`{product}` in bot/data/intents.toml)."""
    case: str | None = None
    """The court case named (bot/data/cases.toml), or None; evidence like `{case}`."""
    aspect: str = "value"
    """How the question asks (bot/data/aspects.toml): "when", "who", "yes_no", ..."""
    follow_up: str | None = None
    """How it continues the previous question, if it does (bot/data/followups.toml)."""
    fired: tuple[str, ...] = ()
    """The rules that decided the reading, in words, for `ask --explain`."""
    off_topic: bool = False
    """A word the tariff questions forbid is present ("electricity tariff", "hotel"), or
    a topic's words are used in another sense ("the Christmas truce of 1914"): no
    reading of it is a trade question, so retrieval must not answer it either."""

    @property
    def parties(self) -> list[str]:
        out: list[str] = []
        for m in self.mentions:
            if m.kind == "party" and m.code not in out:
                out.append(m.code)
        return out

    @classmethod
    def unread(cls, question: str) -> Understanding:
        """A question too long to read whole: out of scope, flagged `too_long`."""
        return cls(
            question=question,
            normalised="",
            matchable="",
            intent=None,
            confidence=0.0,
            candidates=[],
            mentions=[],
            direction=Direction(None, None),
            dates=[],
            too_long=True,
        )

    @property
    def courts(self) -> list[str]:
        return list(dict.fromkeys(m.code for m in self.mentions if m.kind == "court"))

    @property
    def officials(self) -> list[str]:
        return list(dict.fromkeys(m.code for m in self.mentions if m.kind == "official"))


class Engine:
    """Holds the indexed rules and entities; `understand()` is pure and fast."""

    def __init__(
        self,
        rules: Rules,
        vocab: Vocabulary,
        anchors: Mapping[str, date],
        learned: Iterable[tuple[str, str]] = (),
        events: Sequence[tuple[Sequence[str], Sequence[str], date]] = (),
        event_topics: Mapping[str, str] | None = None,
    ) -> None:
        self.rules = rules
        self.vocab = vocab
        self.threshold = rules.settings.get("threshold", 0.5)
        self.margin = rules.settings.get("ambiguity_margin", 0.04)
        self.weight = rules.settings.get("similarity_weight", 0.7)
        self.scorer = SCORERS[str(rules.settings.get("scorer", "token_sort_ratio"))]
        keywords: set[str] = set()
        for intent in rules.intents.values():
            for alternative in intent.requires:
                for group in alternative:
                    keywords |= {w for w in group if " " not in w}
            keywords |= {w for w in intent.boost if " " not in w}
        self.entities = EntityIndex(vocab, extra_words=keywords)
        self._leaders = {
            code
            for code, o in vocab.officials.items()
            if o.role and ("President" in o.role or "Prime Minister" in o.role)
        }
        self.dates = DateReader(anchors, events)
        # Named events whose fact is of one intent's kind ("the London framework" is talks).
        self._event_topics = dict(event_topics or {})
        # Longest first, so "geneva joint statement" names its fact before "geneva" does.
        self._event_phrases = tuple(
            (f" {phrase} ", fid)
            for phrase, fid in sorted(rules.anchors.items(), key=lambda kv: -len(kv[0]))
            if set(phrase.split()) - GENERIC_EVENT_WORDS  # "the truce" names no one event
        )
        self.foreign = load_foreign_words()
        self.products = load_products()
        self.cases = load_cases()
        self.aspects = load_aspects()
        self.follow_ups = load_follow_ups()
        # Examples are read like questions: a name in one ("the kuala lumpur arrangement")
        # becomes its slot, as it does in every question that names it.
        self._examples = {
            name: list(dict.fromkeys(self._slotted(e) for e in i.examples))
            for name, i in rules.intents.items()
        }
        # Phrasings taught by moderators (review queue): trusted without keyword gates,
        # but only when the question is nearly the same words.
        self._learned: dict[str, list[str]] = {}
        for intent_name, phrasing in learned:
            if intent_name in rules.intents:
                sorted_form = " ".join(sorted(to_matchable(phrasing).split()))
                self._learned.setdefault(intent_name, []).append(sorted_form)
        self._presorted = self.scorer is fuzz.token_sort_ratio
        self._wordsets = {
            name: [(frozenset(e.split()), e) for e in examples]
            for name, examples in self._examples.items()
        }
        # Per example: 1 / (words + 1) ranks the pool; the subset credit's factor is the
        # discount times how much of a question an example of that length explains.
        self._inverse_length = {
            name: [1 / (len(words) + 1) for words, _ in wordsets]
            for name, wordsets in self._wordsets.items()
        }
        self._subset_weight = {
            name: [
                LONG_DISCOUNT / 100 * min(1.0, (e.count(" ") + 1) / SUBSET_WORDS) for e in examples
            ]
            for name, examples in self._examples.items()
        }
        self._by_word: dict[str, dict[str, list[int]]] = {}
        for name, wordsets in self._wordsets.items():
            index: dict[str, list[int]] = {}
            for n, (words, _) in enumerate(wordsets):
                for word in words:
                    index.setdefault(word, []).append(n)
            # Words in most examples ("the", "what", the country slot) rank nothing: leave
            # them out, so ranking touches only the examples sharing a telling word.
            common = max(5, len(wordsets) // 3)
            self._by_word[name] = {w: ns for w, ns in index.items() if len(ns) <= common}
        self._sorted = {
            name: [" ".join(sorted(e.split())) for e in examples]
            for name, examples in self._examples.items()
        }
        # Words each intent's own phrasings and keywords use: a topic noun's modifier or a
        # ruling's object outside these (and the generic ones) is another topic.
        self._known: dict[str, frozenset[str]] = {}
        for name, intent in rules.intents.items():
            words: set[str] = set(rules.generic_modifiers) | set(SLOTS.values())
            for example in intent.examples:
                words.update(example.split())
            for group in (intent.boost, intent.forbid, *chain.from_iterable(intent.requires)):
                for item in group:
                    words.update(item.split())
            self._known[name] = frozenset(words)
        # Every word an intent, an entity or a date may use: a capitalised word outside it is
        # a name we do not know.
        self._vocabulary = (
            frozenset(chain.from_iterable(self._known.values()))
            | self.entities.name_words
            | frozenset(self.foreign.words)
            | DATE_WORDS
            | rules.known_names
        )
        self._keys = {
            name: IntentKeys(
                forbid=WordSet.of(i.forbid | rules.global_forbid),
                boost=WordSet.of(i.boost),
                requires=tuple(tuple(WordSet.of(g) for g in alt) for alt in i.requires),
                always_forbid=WordSet.of(rules.global_forbid),
                forbid_unless=WordSet.of(i.forbid_unless),
            )
            for name, i in rules.intents.items()
        }
        # Words that put a question outside the trade topic for retrieval too: the tariff
        # questions' forbidden senses ("electricity tariff", "hotel") and the global ones,
        # less the trade words retrieval itself answers about ("refund").
        tariff = rules.intents.get("tariff_rate")
        off_topic = (tariff.forbid if tariff else frozenset()) | rules.global_forbid
        self._off_topic_words = WordSet.of(
            frozenset(w for w in off_topic if w not in load_retrieval_words().domain)
        )

    def understand(self, question: str, today: date) -> Understanding:
        """Read `question` as of `today`; its `query` is what the composer answers."""
        understood = self._read(question, today)
        # How it asks and whether it follows up: read once on the question as asked, not
        # in every re-reading of its parts.
        english = self.foreign.translate(question.lower())
        understood.aspect = self._aspect(question, english)
        understood.follow_up = self.follow_ups.kind(normalise(english))
        understood.query = build_query(understood, today)
        return understood

    def _read(self, question: str, today: date) -> Understanding:
        if len(question.strip()) > MAX_UNDERSTOOD_CHARS:
            return Understanding.unread(question)
        first = self._understand(question, today, events=True)
        close = len(first.candidates) < 2 or (
            first.candidates[0].score - first.candidates[1].score < FOCUS_MARGIN
        )
        ask = ask_part(question) if close or first.intent is None else None
        if ask is not None:
            # "The Supreme Court just ruled. What's the US tariff on Chinese goods now?",
            # "Now that Trump and Xi have met, what is ...", "..., but my question is: ...":
            # the ask decides the intent; names and dates still come from the whole text.
            # An intent the whole text rules out (a forbidden word in the context) stays out,
            # and the ask part turns an out-of-scope reading of the whole into an answer
            # only after an explicit turn ("but my question is") or when the whole text
            # nearly reached that intent anyway (within RESCUE_MARGIN of the threshold).
            focus = self._understand(ask, today, events=True)
            near = {c.intent: c.score for c in first.candidates}
            if (
                focus.intent is not None
                and (
                    first.intent is not None
                    or FOCUS.search(question)
                    or near.get(focus.intent, 0.0) >= self.threshold - RESCUE_MARGIN
                )
                and focus.intent not in META_INTENTS  # "what is he talking about?"
                and not focus.ambiguous
                and focus.intent in first.eligible
                and (focus.intent != first.intent or first.ambiguous)
            ):
                first = replace(
                    first,
                    intent=focus.intent,
                    confidence=focus.confidence,
                    candidates=focus.candidates,
                    ambiguous=False,
                )
        if not any(d.event for d in first.dates):
            return first
        # The event clause may be the topic after all: "what happened after the Supreme
        # Court ruled?" has no topic without it, and "are the tariffs still in effect after
        # the court ruling?" names no tariff it could be about. Read it again as words.
        if first.intent is None or (first.intent in TARIFF_INTENTS and not first.parties):
            second = self._understand(question, today, events=False)
            if second.intent is not None and second.intent != first.intent:
                return second
        elif first.intent not in TARIFF_INTENTS and first.confidence < CLAUSE_REREAD_BELOW:
            # "What happened right after the trade court ruled? Did the government get it
            # paused?": without the clause it read as the truce; with it, clearly the case.
            second = self._understand(question, today, events=False)
            if (
                second.intent is not None
                and second.intent != first.intent
                and second.confidence >= first.confidence + CLAUSE_TOPIC_MARGIN
            ):
                return second
        return first

    def _slotted(self, example: str) -> str:
        words = example.split()
        if self.entities.name_words.isdisjoint(words) and "us" not in words:
            return example  # most examples hold only slots: nothing to look up
        for m in reversed(self.entities.find(words)):
            words[m.start : m.end] = [SLOT_FOR_KIND[m.kind]]
        return " ".join(words)

    def _understand(self, question: str, today: date, events: bool) -> Understanding:
        lowered = self.foreign.translate(question.lower())
        if "–" in lowered:  # "the Trump–Xi meeting": an en dash joins names like a hyphen
            lowered = lowered.replace("–", "-")
        with_dates, dates = self.dates.read(lowered, today, events=events)
        words = self.entities.correct(normalise(with_dates).split())
        mentions = self.entities.find(words)
        slot_words = list(words)
        for m in reversed(mentions):
            slot_words[m.start : m.end] = [SLOT_FOR_KIND[m.kind]]
        slot_words = [
            SLOTS["{date}"]
            if w == SENTINEL
            else SLOTS["{percent}"]
            if PERCENT_WORD.fullmatch(w)
            else w
            for w in slot_words
        ]
        polite = [w for w in slot_words if w not in self.rules.courtesy]
        if len(polite) >= 2:  # "truce status pls" is "truce status"; "please" alone is not
            slot_words = polite
        matchable = " ".join(slot_words)
        present = set(slot_words) | {w[:-1] for w in slot_words if w.endswith("s")}
        present |= {f"zcourt{m.code.lower()}" for m in mentions if m.kind == "court"}
        present |= {f"zparty{m.code.lower()}" for m in mentions if m.kind == "party"}
        # Parties named as such, not by a capital that may be a venue ("after Kuala Lumpur").
        present |= {
            f"znamed{m.code.lower()}" for m in mentions if m.kind == "party" and m.form != "capital"
        }
        product = self.products.find(question)
        if product:  # "copper 232?": a product named is evidence of a tariff question
            present.add("zproduct")
        case = self.cases.find(question)
        if case:  # "who dissented?": a court case named is evidence of a court question
            present.add("zcase")
        leaders = {m.code for m in mentions if m.kind == "official" and m.code in self._leaders}
        if leaders:
            present.add("zleader")
        if len(leaders) >= 2:
            present.add("zleaderstwo")
        # Forbidden words may hide in dates ("the Christmas truce of 1914").
        seen = present.union(*(normalise(found.text).split() for found in dates))
        query = " ".join(sorted(matchable.split())) if self._presorted else matchable
        scored = [
            self._score(i, matchable, query, present, seen) for i in self.rules.intents.values()
        ]
        # A topic's words in another sense of it ("the Christmas truce"): off topic for
        # retrieval too.
        other_sense = any(s is OTHER_SENSE for s in scored)
        candidates = self._rank(s for s in scored if isinstance(s, Candidate))
        if matchable.count(" ") >= LONG_QUESTION_WORDS and candidates:
            # Only the best few get the (slower) subset comparison.
            rescored = [self._subset(c, matchable) for c in candidates[:LONG_RESCORE]]
            candidates = self._rank([*rescored, *candidates[LONG_RESCORE:]])
        fired: list[str] = []  # the re-ranking rules that changed the reading

        def step(name: str, ranked: list[Candidate]) -> list[Candidate]:
            if reading_of(ranked) != reading_of(candidates):
                fired.append(name)
            return ranked

        candidates = step("learned phrasing", self._with_learned(candidates, matchable))
        candidates = step("truce as an occasion", truce_as_occasion(candidates, matchable))
        candidates = step("change needs a change word", change_needs_a_change_word(candidates))
        current = asks_current_value(question, matchable)
        compares = compares_two_points(slot_words, matchable, dates, today, current)
        candidates = step("prefer the change reading", prefer_change(candidates, compares))
        if not compares and current:
            candidates = step("prefer the current rate", prefer_rate(candidates))
        words_clean = [w for w in words if w != SENTINEL]
        padded = f" {' '.join(words_clean)} "
        named_events = tuple(
            dict.fromkeys(fid for phrase, fid in self._event_phrases if phrase in padded)
        )
        topics = [self._event_topics[f] for f in named_events if f in self._event_topics]
        candidates = step("the named event's topic", named_topic(candidates, topics, self.margin))
        owners = possessive_words(lowered)  # "China's tariffs": written as the owner
        possessive = {m.start for m in mentions if m.text.split()[-1] in owners}
        top = candidates[0] if candidates else None
        intent = top.intent if top and top.score >= self.threshold else None
        if intent in PEOPLE_TOPICS and not mentions and self._strangers(question):
            intent = None  # "did Drake and Kendrick reach a truce?": someone else's truce
        ambiguous = bool(
            intent
            and len(candidates) > 1
            and candidates[1].score >= self.threshold
            and top.score - candidates[1].score < self.margin
            and {top.intent, candidates[1].intent} != {"tariff_rate", "rate_change"}
        )
        if ambiguous:
            # Close readings, but only one has what it is about: "scotus tariffs" names a
            # court and no country, so it is about the court case.
            kinds = {m.kind for m in mentions}
            backed = [c for c in candidates[:2] if ENTITY_OF_INTENT.get(c.intent, "") in kinds]
            if len(backed) == 1:
                ambiguous, intent = False, backed[0].intent
                candidates = [backed[0], *[c for c in candidates if c is not backed[0]]]
                top = candidates[0]
        return Understanding(
            question=question,
            normalised=normalise(question),
            matchable=matchable,
            intent=intent,
            confidence=round(top.score, 3) if top else 0.0,
            candidates=candidates[:3],
            mentions=mentions,
            direction=resolve(words, self._sides(words, mentions), possessive),
            dates=dates,
            ambiguous=ambiguous,
            words=words_clean,
            tokens=words,
            eligible=frozenset(c.intent for c in candidates),
            named_events=named_events,
            product=product,
            case=case,
            fired=tuple(fired_rules(top, fired, product, case)),
            off_topic=self._off_topic_words.hits(seen, f" {matchable} ") or other_sense,
        )

    def _aspect(self, question: str, lowered: str) -> str:
        """The aspect, read on the clauses of the part of the question that asks (in
        English): "Since April 2026, is ...?" asks yes or no."""
        asking = ask_part(question)
        asking_text = self.foreign.translate(asking.lower()) if asking else lowered
        clauses = [normalise(c) for c in CLAUSES.split(asking_text) if c.strip()]
        return self.aspects.aspect(clauses, normalise(lowered))

    def _score(
        self, intent: Intent, text: str, query: str, present: set[str], seen: set[str]
    ) -> Candidate | object | None:
        """`query` is `text` with its words sorted when the scorer is token_sort_ratio;
        `seen` is `present` plus the words of the dates (for forbidden words only).
        OTHER_SENSE when the intent's required words are there but its own checks say
        the question means something else ("the Christmas truce of 1914")."""
        padded = f" {text} "
        keys = self._keys[intent.name]
        if keys.forbid.hits(seen, padded) and (
            keys.always_forbid.hits(seen, padded) or not keys.forbid_unless.hits(seen, padded)
        ):
            if keys.requires and any_alternative_holds(keys.requires, present, padded):
                return OTHER_SENSE
            return None
        if keys.requires and not any_alternative_holds(keys.requires, present, padded):
            return None
        if self._off_topic(intent, text, present):
            # Another sense of the topic's words ("the Olympic truce") rules retrieval out
            # too; another party's truce or talks ("the EU's suspension") does not.
            sense = keys.requires and self._off_topic(intent, text, present, parties=False)
            return OTHER_SENSE if sense else None
        if self._presorted:
            # token_sort_ratio == ratio of the sorted words; the examples were sorted once.
            best = process.extractOne(
                query, self._sorted[intent.name], scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY
            )
            if best:
                best = (self._examples[intent.name][best[2]], best[1], best[2])
        else:
            best = process.extractOne(
                text, self._examples[intent.name], scorer=self.scorer, score_cutoff=MIN_SIMILARITY
            )
        similarity = best[1] / 100 if best else 0.0
        evidence = min(1.0, keys.boost.count(present, padded) / 3)
        score = self.weight * similarity + (1 - self.weight) * evidence
        return Candidate(intent.name, score, similarity, evidence, best[0] if best else "")

    def _off_topic(
        self, intent: Intent, text: str, present: set[str], parties: bool = True
    ) -> bool:
        """Is the question about another topic that shares this intent's nouns?

        "peace talks", "the Olympic truce", "Prime Day deals": a word before a topic noun
        that the intent never uses; "what did the Supreme Court rule on birthright
        citizenship": an object after "rule on" it never uses; "the ceasefire in Sudan":
        parties named, none of them one the intent is about.
        """
        known = self._known[intent.name]
        words = text.split()
        if intent.topic_nouns:
            for i, word in enumerate(words):
                if word in intent.topic_nouns and i > 0 and words[i - 1] not in known:
                    return True
        if intent.topic_after:
            padded = f" {text} "
            for phrase in intent.topic_after:
                at = padded.find(f" {phrase} ")
                if at < 0:
                    continue
                after = [
                    w
                    for w in padded[at + len(phrase) + 2 :].split()
                    if w not in self.rules.generic_modifiers
                ]
                if after and after[0] not in known:
                    return True
        if parties and intent.needs_party:
            named = {w[len("znamed") :].upper() for w in present if w.startswith("znamed")}
            if named and not named & intent.needs_party:
                return True
        return False

    def _subset(self, candidate: Candidate, text: str) -> Candidate:
        """Long, chatty questions ("As a journalist I need ... with any caveats") bury the
        phrasing in extra words; a subset match, discounted, counts for them.

        The subset scorer is slow, so it sees only the closest examples by word overlap;
        a short example ("China US tariffs") is a subset of almost any long question, so it
        explains less of it: its credit shrinks with its length.
        """
        similarity, example = candidate.similarity, candidate.example
        pool = self._pool(candidate.intent, set(text.split()))
        weights = self._subset_weight[candidate.intent]
        for pooled, ratio, n in process.extract(
            text,
            [self._examples[candidate.intent][n] for n in pool],
            scorer=fuzz.token_set_ratio,
            score_cutoff=MIN_SIMILARITY,
            limit=None,
        ):
            credit = ratio * weights[pool[n]]
            if credit > similarity:
                similarity, example = credit, pooled
        if similarity == candidate.similarity:
            return candidate
        score = self.weight * similarity + (1 - self.weight) * candidate.evidence
        return Candidate(candidate.intent, score, similarity, candidate.evidence, example)

    def _pool(self, intent_name: str, words: set[str]) -> list[int]:
        """Indexes of the intent's examples sharing the most words with the question
        (relative to their length), found through a word -> examples index."""
        by_word = self._by_word[intent_name]
        shared = Counter(chain.from_iterable(by_word.get(w, ()) for w in words))
        inverse = self._inverse_length[intent_name]
        # An example sharing one telling word with a long question is never its best
        # subset match; leaving those out keeps the ranking short.
        ranked = [(c * inverse[n], n) for n, c in shared.items() if c > 1]
        if not ranked:
            ranked = [(c * inverse[n], n) for n, c in shared.items()]
        return [n for _, n in heapq.nlargest(LONG_POOL, ranked)]

    def _with_learned(self, candidates: list[Candidate], matchable: str) -> list[Candidate]:
        if not self._learned:
            return candidates
        query = " ".join(sorted(matchable.split()))
        by_intent = {c.intent: c for c in candidates}
        for intent_name, examples in self._learned.items():
            best = process.extractOne(
                query, examples, scorer=fuzz.ratio, score_cutoff=LEARNED_MIN_SIMILARITY
            )
            if best and (
                intent_name not in by_intent or by_intent[intent_name].score < best[1] / 100
            ):
                by_intent[intent_name] = Candidate(
                    intent_name, best[1] / 100, best[1] / 100, 1.0, best[0]
                )
        return self._rank(by_intent.values())

    @staticmethod
    def _rank(candidates: Iterable[Candidate | None]) -> list[Candidate]:
        return sorted((c for c in candidates if c is not None), key=lambda c: c.score, reverse=True)

    @staticmethod
    def _sides(words: list[str], mentions: list[Mention]) -> list[Mention]:
        """The mentions that can levy or export: a place where something happened ("now
        that Trump and Xi met in Korea, what is the tariff on China?") is neither."""
        places = venue_codes(words, mentions)
        kept = [m for m in mentions if not (m.kind == "party" and m.code in places)]
        return kept if any(m.kind == "party" for m in kept) else mentions

    def _strangers(self, question: str) -> bool:
        """Does the question name people or places we know nothing of (capitalised words
        that are no entity, no word of any intent, no month or day)?"""
        words = question.replace("’", "'").split()
        strangers = set()
        for i, raw in enumerate(words):
            if i == 0 or words[i - 1][-1:] in ".!?:":
                continue  # a sentence's first word is capitalised anyway
            word = raw.strip(".,!?;:()\"'").removesuffix("'s")
            if len(word) < 3 or not word[0].isupper() or not word[1:].islower():
                continue
            if word.lower() not in self._vocabulary:
                strangers.add(word.lower())
        # Two of them: one may be a newspaper or a name we just lack ("says Reuters").
        return len(strangers) >= 2
