"""Answers: composed only from facts valid at the question's date, always sourced."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.store import Author
from tests.conftest import MOD


def ask(assistant, question: str, day: str):
    return assistant.ask(question, date.fromisoformat(day))


def test_current_rate_with_value_since_replaced_components_and_source(assistant) -> None:
    a = ask(assistant, "How high is Washington's levy on Chinese products today?", "2025-07-01")
    assert a.intent == "tariff_rate" and a.outcome == "answer"
    assert "30%" in a.text and "14 May 2025" in a.text and "before: 145%" in a.text
    assert "10% reciprocal" in a.text and "20% fentanyl" in a.text
    assert "britishwire.com" in a.text and "30 May 2025" in a.text
    assert "“US tariffs on Chinese goods were lowered from 145% to 30%”" in a.text
    assert a.facts[0] == "us-cn-tariff-30"
    assert {s.publisher for s in a.sources} >= {"British Wire"}


def test_date_in_question_overrides_as_of(assistant) -> None:
    a = ask(assistant, "what did america charge on chinese goods on 2 May 2025?", "2026-01-01")
    assert "145%" in "\n".join(a.lines) and "30%" not in "\n".join(a.lines)
    assert "It changed on 14 May 2025" in a.text


def test_today_question_after_the_last_record_gives_it_framed_as_past(assistant) -> None:
    a = ask(assistant, "current US import duty on Chinese goods?", "2026-11-25")
    # The Section 122 surcharge was scheduled to end on 24 Jul 2026 (150 days): no record
    # today, then the record of its last day, never "in force" now.
    assert a.outcome == "no_record" and "us-world-section-122-surcharge" in a.facts
    first = a.text.splitlines()[0]
    assert "valid on 25 Nov 2026" in first and "scheduled to end on 24 Jul 2026" in first
    assert "My latest record, as it stood on 23 Jul 2026:" in a.text
    b = ask(assistant, "current US import duty on Brazilian goods?", "2026-11-25")
    assert b.outcome == "no_record" and "My records run to" in b.text


def test_global_surcharge_answers_in_its_window_with_disagreement(assistant) -> None:
    a = ask(assistant, "What tariff does the US put on Chinese goods now?", "2026-04-01")
    assert a.outcome == "answer" and "us-world-section-122-surcharge" in a.facts
    # 10% in force; the 15% announced on 21 Feb 2026 was never implemented: named, not charged.
    assert "Section 122 surcharge: 10%" in a.text and "Announced, not in force" in a.text
    assert [x["rate"] for x in a.layers if x["charged"]] == [10.0]


def test_unknown_pair_lists_what_is_tracked_and_no_number(assistant) -> None:
    a = ask(assistant, "What duty does India put on Vietnamese goods?", "2025-07-01")
    assert a.outcome == "no_record" and a.facts == [] and a.sources == []
    assert not re.search(r"\d+%", a.text)
    assert "India" in a.text and "Rates I track" in a.text and a.suggestions


def test_both_directions_when_direction_is_not_given(assistant) -> None:
    a = ask(assistant, "china usa tariffs?", "2025-07-01")
    assert {"us-cn-tariff-30", "cn-us-tariff-10"} <= set(a.facts)


def test_lone_country_answer_says_which_reading(assistant) -> None:
    a = ask(assistant, "what's the tariff on china", "2025-07-01")
    assert "Reading your question as US tariffs on Chinese goods" in a.text


def test_rate_change_names_before_and_after(assistant) -> None:
    a = ask(assistant, "By how much did Beijing lower its tariffs on American goods?", "2025-07-01")
    assert a.intent == "rate_change"
    assert "from 125% to 10% on 14 May 2025" in a.text


def test_truce_deadline_is_relative_to_the_date(assistant) -> None:
    before = ask(assistant, "when is the tariff pause over?", "2025-08-01")
    assert "12 Aug 2025 (in 11 days)" in before.text
    assert "14 May 2025 + 90 days" in before.text  # how it was computed
    later = ask(assistant, "when is the tariff pause over?", "2026-11-25")
    assert "10 Nov 2026 (15 days ago)" in later.text and later.stale


def test_staleness_warning(assistant) -> None:
    a = ask(assistant, "where are the us japan talks at", "2026-11-25")
    assert a.outcome == "answer" and a.stale
    # The talks ended in the 22 Jul 2025 agreement: the answer is the deal, dated.
    assert "US–Japan trade agreement" in a.text
    assert "Last recorded 23 Jul 2025; this may have changed." in a.text
    fresh = ask(assistant, "where are the us japan talks at", "2025-06-05")
    assert not fresh.stale and "may have changed" not in fresh.text


def test_court_answer_gives_latest_status_first(assistant) -> None:
    a = ask(assistant, "is the lawsuit over the tariffs finished?", "2025-06-01")
    assert a.intent == "court_ruling"
    assert a.lines[0].startswith("Latest (29 May 2025")
    assert "stayed" in a.text and "tariffs struck down" in a.text


def test_out_of_scope_gets_no_fact(assistant) -> None:
    for question in [
        "play some jazz",
        "how tall is mount everest",
        "what's 12 times 7",
        "recommend a good sushi place in tokyo",
        "who won the world cup",
    ]:
        a = ask(assistant, question, "2025-07-01")
        assert a.intent is None and a.facts == [] and a.outcome == "out_of_scope", question
        assert "trade tariffs" in a.text


def test_ambiguous_question_offers_interpretations(assistant_factory) -> None:
    """Two intents that match equally well: offer both, answer neither."""
    from dataclasses import replace

    from bot.understand.rules import load_rules, to_matchable

    rules = load_rules()
    same = (to_matchable("what about the zebra crossing"),)
    for name in ("truce", "court_ruling"):
        rules.intents[name] = replace(
            rules.intents[name], examples=same, requires=(), forbid=frozenset()
        )
    a = assistant_factory(rules=rules).ask("what about the zebra crossing", date(2025, 7, 1))
    assert a.outcome == "clarify" and a.facts == []
    assert set(a.suggestions) >= {
        rules.intents["truce"].suggestion,
        rules.intents["court_ruling"].suggestion,
    }


def test_every_answer_fits_discord_and_pings_nobody_at_the_discord_door(assistant) -> None:
    from bot.exts.render import message_text

    for question in [
        "@everyone what is the US tariff on China?" + " really" * 400,
        "<@123> <@&456> @here tariffs in 2025 between US and China",
    ]:
        text = message_text(ask(assistant, question, "2026-01-01"))
        assert len(text) <= 2000
        assert "@everyone" not in text and "@here" not in text
        assert "<@" not in text


def test_the_core_answer_is_whole_however_long(fresh_db) -> None:
    """Discord's limit is the Discord door's: the core cuts nothing (the CLI prints all)."""
    from bot.service import Assistant

    for n in range(40):
        fresh_db.add(
            {
                "id": f"deadline-{n}",
                "kind": "deadline",
                "subject": f"Deadline number {n}",
                "parties": ["US", "JP"],
                "status": "scheduled",
                "due": f"2025-{n % 12 + 1:02d}-{n % 27 + 1:02d}",
                "statement": f"Deadline number {n} of a long list, due as scheduled.",
                "valid_from": "2025-01-01",
                "recorded": "2025-01-01",
                "citations": [{"source": "src-a"}],
            },
            by=MOD,
            reason="seed",
        )
    answer = Assistant(fresh_db).deadlines(as_of=date(2025, 1, 1))
    assert len(answer.text) > 2000 and not answer.text.endswith("…")
    assert all(f"Deadline number {n} of a long list" in answer.text for n in range(40))


def test_moderator_edit_is_answered_immediately(assistant_factory) -> None:
    assistant = assistant_factory()
    assistant.store.update(
        "us-cn-tariff-30",
        {
            "rate": 35,
            "components": [
                {"name": "reciprocal tariff (IEEPA)", "rate": 15},
                {"name": "fentanyl-related duty (IEEPA)", "rate": 20},
            ],
            "citations": [{"source": "federal-register-2025-09297"}],
        },
        base_revision=1,
        by=MOD,
        reason="test",
    )
    a = ask(assistant, "US tariff on Chinese goods", "2025-07-01")
    assert "35%" in a.text
    assistant.store.retract("us-cn-tariff-30", by=Author("m"), reason="test retraction")
    a = ask(assistant, "US tariff on Chinese goods", "2025-07-01")
    assert a.outcome == "no_record" and "35%" not in a.text


@pytest.mark.parametrize("question", ["hi there", "thanks!", "good morning tradebot"])
def test_greetings(assistant, question: str) -> None:
    a = ask(assistant, question, "2025-07-01")
    assert a.intent == "greeting" and a.facts == []


def test_help_and_sources(assistant) -> None:
    help_answer = ask(assistant, "what sort of things can I ask you?", "2025-07-01")
    assert help_answer.intent == "help" and "/rate" in help_answer.text
    sources = ask(assistant, "how do you know all this, what are your sources", "2025-07-01")
    assert sources.intent == "sources" and "British Wire" in sources.text


def test_json_contract(assistant) -> None:
    data = ask(assistant, "US tariff on China", "2025-07-01").to_json()
    assert set(data) == {
        "question",
        "intent",
        "outcome",
        "confidence",
        "answer",
        "facts",
        "sources",
        "suggestions",
        "as_of",
        "product",
        "query",
        "layers",
        "stacking",
        "retrieved",
    }
    assert 0 <= data["confidence"] <= 1 and data["as_of"] == "2025-07-01"
    assert data["retrieved"] is False
    layer_facts = {layer["fact"] for layer in data["layers"]}
    assert "us-cn-tariff-30" in layer_facts and layer_facts <= set(data["facts"])
    assert {"fact", "authority", "rate", "rate_kind", "products", "origins"} <= set(
        data["layers"][0]
    )
    query = data["query"]
    assert query["intent"] == "tariff_rate" and query["aspect"] == "value"
    assert (query["importer"], query["exporter"]) == ("US", "CN")
    assert query["date_asked"] is None and query["date_role"] == "none"
    assert set(data["sources"][0]) == {"title", "url", "publisher", "published"}


def test_confidence_note_is_about_the_stated_rate_not_the_replaced_one(assistant) -> None:
    now = ask(assistant, "China's tariffs on US products?", "2025-06-01")
    assert "before: 125%" in now.text and "Confidence" not in now.text
    assert "cn-us-tariff-125" in now.facts  # still cited, as context
    then = ask(assistant, "China's tariffs on US products on 1 May 2025?", "2025-06-01")
    assert "125%" in then.lines[0] and "Confidence: medium" in then.text


def test_after_a_court_event_the_rate_question_stays_a_rate_question(assistant) -> None:
    # The court words date the question; they do not make it a court question.
    a = ask(
        assistant,
        "what are chinese exporters paying at the US border since the justices threw out"
        " the tariffs?",
        "2026-04-01",
    )
    assert a.intent in ("tariff_rate", "rate_change") and a.outcome == "answer"
    assert "Section 122 surcharge: 10%" in a.text and "from 24 Feb 2026" in a.text
    # The 15% announced then and never implemented is named as such, not counted.
    assert "Announced, not in force: Section 122 surcharge: 15%" in a.text


def test_a_pair_without_its_own_rate_gets_the_tariff_on_all_partners(assistant) -> None:
    a = ask(assistant, "US duty on Chinese toys?", "2026-05-01")
    assert "us-world-section-122-surcharge" in a.facts and "toys from China" in a.text
    assert "Section 122 surcharge: 10%" in a.text and "20%" not in "\n".join(a.lines)
    # ...and the change into it reads as a change of the China rate.
    b = ask(
        assistant,
        "how did the US levy on Chinese products change in late February 2026?",
        "2026-04-01",
    )
    assert b.intent == "rate_change"
    assert "from 20% to 10%" in b.text and "all trading partners" in b.text


def test_a_future_date_after_the_recorded_end_is_no_record(assistant) -> None:
    a = ask(assistant, "what will Beijing charge on American goods in January 2027?", "2026-06-01")
    assert a.outcome == "no_record" and "%" not in "\n".join(a.lines).replace("10 Nov", "")
    assert "Jan 2027" in a.text and "10 Nov 2026" in a.text
    b = ask(assistant, "what will US tariffs on Chinese goods be in September 2025?", "2025-06-01")
    assert b.outcome == "answer" and "30%" in b.text
    assert "still to come" in b.text and "not a forecast" in b.text


def test_leader_question_about_another_country_is_not_answered_with_trump_and_xi(
    assistant,
) -> None:
    a = ask(assistant, "did Trump ever phone the Japanese PM about tariffs?", "2025-08-01")
    assert a.intent == "leaders" and a.outcome == "no_record" and a.facts == []
    b = ask(assistant, "did Xi and Trump meet in Korea?", "2025-11-05")
    assert b.outcome == "answer" and b.facts[0] == "us-cn-leaders-busan"


def test_a_capital_next_to_named_parties_is_a_venue(assistant) -> None:
    a = ask(
        assistant, "when does the China-US tariff pause end now, after Kuala Lumpur?", "2025-12-01"
    )
    assert a.intent == "truce" and a.outcome == "answer" and "10 Nov 2026" in a.text
    # A capital alone stays a party: no talks with Seoul are recorded, so the answer is
    # the deal those talks produced, and nothing about anyone else's talks.
    b = ask(assistant, "how are the negotiations with Seoul going?", "2025-12-01")
    assert b.outcome == "answer" and "US–Korea trade deal" in b.text
    assert all("KR" in assistant.store.get(f).parties for f in b.facts)


def test_parties_and_courts_set_aside_are_left_out(assistant) -> None:
    a = ask(
        assistant, "other than China, which trade agreements is America close to?", "2025-06-05"
    )
    assert a.intent == "deals" and a.outcome == "answer"
    assert all("CN" not in assistant.index.by_id[i].parties for i in a.facts)
    b = ask(
        assistant,
        "except for the trade court, did any judge rule against the tariffs?",
        "2025-06-05",
    )
    assert b.intent == "court_ruling"
    assert assistant.index.by_id[b.facts[0]].court != "CIT"


def test_a_place_named_in_the_facts_is_a_venue_not_a_party(assistant) -> None:
    a = ask(assistant, "that Kuala Lumpur truce thing, when does it run out?", "2026-01-15")
    assert a.intent == "truce" and a.outcome == "answer" and "10 Nov 2026" in a.text


def test_two_dates_are_compared(assistant) -> None:
    a = ask(assistant, "US duties on Chinese goods: May 2025 against January 2026?", "2026-02-01")
    assert a.intent == "rate_change"
    line = a.lines[0]
    assert "30% in May 2025" in line and "20% in Jan 2026" in line


def test_a_rate_question_naming_no_country(assistant) -> None:
    # Quoting a rate names the pair that had it...
    a = ask(assistant, "are we still paying 145 percent?", "2025-07-01")
    assert a.intent == "tariff_rate" and "as US tariffs on Chinese goods" in a.text
    assert a.lines[0] == "No: 30% on 1 Jul 2025."  # "still paying 145?" is yes or no
    assert "30%" in a.lines[2]
    # ...and a general question gets every tracked rate, saying that no country was named.
    b = ask(assistant, "where do tariffs stand at the moment?", "2025-07-01")
    assert "No countries named" in b.lines[0]
    importers = {assistant.index.by_id[i].importer for i in b.facts if i not in b.context}
    assert "US" in importers and len(importers) >= 1 and len(b.lines) > 2
    # A country we cannot place is still no record, never the tracked rates.
    c = ask(assistant, "what does Peru charge on Chilean wine?", "2025-07-01")
    assert c.outcome == "no_record" and c.facts == []


def test_truce_original_and_extended_deadlines(assistant) -> None:
    a = ask(assistant, "what was the first deadline of the US-China pause?", "2025-12-01")
    assert "12 Aug 2025" in a.text
    b = ask(
        assistant,
        "in May they agreed a 90-day suspension: has it been prolonged since, and to when?",
        "2025-09-10",
    )
    assert "10 Nov 2025" in b.text


def test_other_courts_name_their_case(assistant) -> None:
    a = ask(assistant, "where is the tariff court case?", "2025-06-20")
    assert "(Learning Resources v. Trump)" in a.text


def test_an_extension_at_the_same_rate_is_not_a_change(assistant) -> None:
    a = ask(
        assistant, "by how much has Beijing lowered its duties on American products?", "2026-01-20"
    )
    assert "from 125% to 10% on 14 May 2025" in a.text
    assert "10% to 10%" not in a.text and "stayed at 10%" in a.text


def test_questions_without_a_pair_or_a_date_are_not_given_numbers(assistant) -> None:
    a = ask(assistant, "what exactly is a tariff?", "2025-07-01")
    assert not re.search(r"\d+%", "\n".join(a.lines))


def test_next_year_is_a_future_date(assistant) -> None:
    a = ask(assistant, "US tariff on Chinese goods next year?", "2026-05-01")
    assert a.outcome == "no_record" and "in 2027" in a.text and "24 Jul 2026" in a.text


def test_retaliation_is_the_other_side_levying(assistant) -> None:
    u = assistant.understand("has Beijing retaliated against Washington yet?", date(2025, 7, 1))
    assert u.intent == "tariff_rate" and u.direction.importer == "CN"


@pytest.mark.parametrize(
    "question",
    ["is the ceasefire between Israel and Hamas holding?", "will the Ukraine truce last?"],
)
def test_other_truces_are_out_of_scope(assistant, question: str) -> None:
    assert ask(assistant, question, "2025-10-01").intent is None


def test_two_capitals_stay_the_parties(assistant) -> None:
    # Both named by capitals, one before "deal": still Japan and the US, never "any deal".
    a = ask(assistant, "how near is a Washington–Tokyo trade deal?", "2025-08-01")
    assert all("JP" in assistant.index.by_id[i].parties for i in a.facts)


def test_a_quoted_rate_names_the_pair_for_a_change_question(assistant) -> None:
    a = ask(assistant, "the 125% rate got replaced by what exactly?", "2025-07-01")
    assert a.intent == "rate_change" and "from 125% to 10%" in a.text


def test_comparing_two_sides_answers_both(assistant) -> None:
    u = assistant.understand("are Beijing's duties higher than Washington's?", date(2025, 7, 1))
    assert u.direction.both_ways


def test_the_ask_after_a_turn_decides(assistant) -> None:
    a = ask(
        assistant,
        "the appeal is dragging on, I get it, but my question is: what's Beijing's duty on"
        " US farm goods right now?",
        "2025-07-01",
    )
    assert a.intent == "tariff_rate" and "10%" in a.lines[0]


@pytest.mark.parametrize(
    ("question", "importer", "exporter"),
    [
        ("JP US tariff?", None, None),  # a pair of codes: both ways
        ("CN→US duty rate", "CN", "US"),  # the arrow before a levy word: who levies on whom
        ("parts shipped MX → US, what duty applies", "US", "MX"),  # goods going somewhere
    ],
)
def test_keyword_queries_with_codes(assistant, question, importer, exporter) -> None:
    u = assistant.understand(question, date(2025, 7, 1))
    assert u.intent == "tariff_rate"
    if importer is None:
        assert u.direction.both_ways and set(u.parties) == {"JP", "US"}
    else:
        assert (u.direction.importer, u.direction.exporter) == (importer, exporter)


def test_indian_english_as_on_date(assistant) -> None:
    a = ask(
        assistant, "please tell the US duty percentage on Chinese items as on date", "2025-12-01"
    )
    assert a.intent == "tariff_rate" and "20%" in a.lines[0]


def test_an_event_clause_about_a_rate_cut_dates_the_question(assistant) -> None:
    u = assistant.understand(
        "once the fentanyl tariff was halved, what did US importers of Chinese goods pay?",
        date(2026, 1, 5),
    )
    assert u.intent == "tariff_rate" and u.dates[0].start == date(2025, 11, 10)


def test_an_event_that_is_the_topic_is_read_as_words(assistant) -> None:
    a = ask(assistant, "how many days have passed since the Geneva truce began?", "2025-10-01")
    assert a.intent == "truce" and "14 May 2025" in a.text


def test_historical_truces_are_out_of_scope(assistant) -> None:
    assert ask(assistant, "why did the 1914 christmas truce happen?", "2025-12-20").intent is None


def test_no_change_on_the_date_asked_says_so(assistant) -> None:
    a = ask(
        assistant,
        "did America's levy on Chinese products move once the pause was extended in August 2025?",
        "2025-09-15",
    )
    assert a.intent == "rate_change"
    assert "no change on 11 Aug 2025; 30% since 14 May 2025" in a.lines[0]


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        (
            "Busan is done and dusted. So what does Washington charge on Chinese imports now?",
            "tariff_rate",
        ),
        (
            "now that the appeals court has ruled, what's China's duty on American goods?",
            "tariff_rate",
        ),
        ("Tariffs on Chinese goods went down in May. Is the truce still holding?", "truce"),
    ],
)
def test_the_asking_sentence_decides_the_intent(assistant, question: str, intent: str) -> None:
    assert assistant.understand(question, date(2025, 11, 20)).intent == intent


def test_context_cannot_bring_back_a_forbidden_reading(assistant) -> None:
    # The context rules the truce out (a video game); the asking sentence cannot override it.
    u = assistant.understand(
        "Playing Civilization tonight. When does the truce end?", date(2025, 7, 1)
    )
    assert u.intent is None


@pytest.mark.parametrize(
    "question",
    [
        "did the Nasdaq drop today because of tariff headlines?",
        "what's the nightly hotel room tariff in Rome this summer?",
    ],
)
def test_markets_and_hotels_are_out_of_scope(assistant, question: str) -> None:
    a = ask(assistant, question, "2025-07-01")
    assert a.intent is None and a.facts == []


def test_the_hearing_dates_a_rate_question(assistant) -> None:
    a = ask(
        assistant,
        "around the time of the Supreme Court hearing, what was America charging on"
        " Chinese imports?",
        "2026-05-01",
    )
    assert a.intent == "tariff_rate" and "30%" in a.lines[0]


def test_later_mentions_decide_the_direction(assistant) -> None:
    u = assistant.understand(
        "china-us tariffs: what does the US levy on Chinese stuff?", date(2025, 7, 1)
    )
    assert (u.direction.importer, u.direction.exporter, u.direction.both_ways) == (
        "US",
        "CN",
        False,
    )


@pytest.mark.parametrize(
    "question",
    [
        "are the Belgrade peace talks going anywhere?",  # another topic's talks
        "has the Olympic truce ever been respected?",
        "any Black Friday deals on Japanese cameras?",
        "what did the Supreme Court rule on the asylum case?",  # another case
        "is the ceasefire in Yemen holding?",  # a truce of other parties
        "did Xi study chemistry?",  # a leader's private life
    ],
)
def test_other_topics_sharing_our_words_are_out_of_scope(assistant, question: str) -> None:
    a = ask(assistant, question, "2025-09-01")
    assert a.intent is None and a.facts == [], (a.intent, a.lines)


@pytest.mark.parametrize(
    "question",
    [
        "are the Geneva talks still on?",
        "what's the latest on the bilateral trade talks with China?",
        "has the fresh tariff truce between the US and China held?",
    ],
)
def test_our_own_topics_pass_the_topic_check(assistant, question: str) -> None:
    assert ask(assistant, question, "2025-09-01").intent is not None


def test_more_languages_and_word_orders(assistant) -> None:
    day = date(2025, 10, 20)
    de = assistant.understand("Wie viel sind die US-Zölle auf chinesische Waren jetzt?", day)
    assert de.intent == "tariff_rate"
    assert (de.direction.importer, de.direction.exporter) == ("US", "CN")
    hi = assistant.understand("US ka China pe tariff kitna hai?", day)
    assert (hi.direction.importer, hi.direction.exporter, hi.direction.both_ways) == (
        "US",
        "CN",
        False,
    )


def test_trailing_context_does_not_decide(assistant) -> None:
    u = assistant.understand(
        "what do Chinese goods pay at the US border today, now that the Supreme Court has"
        " ruled against the IEEPA tariffs?",
        date(2026, 4, 1),
    )
    assert u.intent == "tariff_rate"


@pytest.mark.parametrize(
    "question",
    [
        "how do you say 'tariff truce' in Korean?",
        "who won the lawsuit between Disney and Sony?",
        "NFL trade deadline this year?",
        "will crypto recover now that the trade war is calming down?",
    ],
)
def test_more_hard_negatives(assistant, question: str) -> None:
    a = ask(assistant, question, "2025-09-01")
    assert a.intent is None and a.facts == []


def test_while_an_event_lasted_dates_the_question(assistant) -> None:
    a = ask(
        assistant, "what did Beijing charge on US goods while the Geneva truce held?", "2026-02-01"
    )
    assert a.intent == "tariff_rate" and "10%" in a.lines[0]


def test_a_word_between_origin_and_goods(assistant) -> None:
    u = assistant.understand(
        "duty on Chinese e-bike batteries landing in Long Beach?", date(2025, 9, 1)
    )
    assert (u.direction.importer, u.direction.exporter) == ("US", "CN")


def test_two_questions_are_not_reduced_to_the_last(assistant) -> None:
    u = assistant.understand(
        "Did the appeals court pause the trade court's ruling? Are the tariffs still collected?",
        date(2025, 6, 20),
    )
    assert u.intent == "court_ruling"


def test_a_rate_scheduled_for_a_future_date_is_answered(assistant_factory) -> None:
    assistant = assistant_factory()
    assistant.store.add(
        {
            "id": "cn-us-test-scheduled",
            "kind": "tariff_rate",
            "importer": "CN",
            "exporter": "US",
            "rate": 5,
            "statement": "China announced that its tariff on US goods falls to 5% on 1 Dec 2026.",
            "valid_from": "2026-12-01",
            "recorded": "2026-11-20",
            "citations": [{"source": "britishwire-2025-05-30", "quote": "temporary trade truce"}],
        },
        by=MOD,
        reason="test: a scheduled cut",
    )
    a = ask(assistant, "what will China charge on American goods on 5 December 2026?", "2026-11-25")
    assert a.outcome == "answer" and "5%" in a.lines[0] and "not a forecast" in a.text
    # Known only later (recorded after the day asked): not known in advance.
    b = ask(assistant, "what will China charge on American goods on 5 December 2026?", "2026-11-15")
    assert b.outcome == "no_record" and "5%" not in "\n".join(b.lines)


@pytest.mark.parametrize(
    "question",
    ["Will the Fed cut rates in December?", "is the S&P up after the tariff headlines?"],
)
def test_money_markets_are_out_of_scope(assistant, question: str) -> None:
    a = ask(assistant, question, "2025-09-01")
    assert a.intent is None and a.facts == []


def test_talks_about_another_agreement_are_not_answered_with_ours(assistant) -> None:
    # NAFTA/USMCA talks name neither China nor Japan: no record, not our talks.
    a = ask(assistant, "any movement on the NAFTA renegotiation?", "2026-05-01")
    assert a.intent == "negotiation_status" and a.outcome == "no_record"
    assert a.facts == [] and "USMCA" in a.text


def test_a_named_round_of_talks_is_answered_even_after_later_news(assistant) -> None:
    # "the Geneva talks" is the topic here, not a date: its fact comes first, then today's.
    a = ask(assistant, "what came out of the Geneva talks between the two sides?", "2025-09-01")
    assert a.intent == "negotiation_status"
    assert a.facts[0] == "us-cn-talks-geneva" and "He Lifeng" in a.text
    assert len(a.facts) == 2  # and where the talks stand now
    london = ask(assistant, "recap the London round for me", "2025-09-01")
    assert "UK" not in london.text and "talks in London" in london.text


def test_an_extension_question_lists_every_deadline_it_spans(assistant) -> None:
    a = ask(assistant, "how far was the tariff pause pushed back in August 2025?", "2026-01-10")
    assert a.intent == "truce"
    for due in ("12 Aug 2025", "10 Nov 2025", "10 Nov 2026"):
        assert due in a.text
    how = ask(assistant, "what instrument extended the US-China pause in August?", "2025-09-10")
    assert "Executive Order 14334" in how.text


def test_the_date_in_the_closing_question_is_the_one_asked_about(assistant) -> None:
    # Context names one date, the question another: the answer is about the question's.
    a = ask(
        assistant,
        "My broker says the US duty on Chinese parts fell back in May. What is it today?",
        "2025-12-01",
    )
    assert a.intent == "tariff_rate" and a.facts[0] == "us-cn-tariff-20"
    assert "145%" not in "\n".join(a.lines)


def test_talks_stalling_dates_a_rate_question(assistant) -> None:
    a = ask(
        assistant,
        "back when the trade talks stalled out, what did china charge on US goods?",
        "2026-01-05",
    )
    assert a.intent == "tariff_rate" and a.facts[0] == "cn-us-tariff-10"


def test_a_pair_after_in_is_a_side_not_a_place(assistant) -> None:
    # "in US-EU talks" names the sides; read as a place, the EU was dropped and other
    # countries' talks were given as the answer.
    a = ask(assistant, "anything new in US-EU trade talks?", "2025-07-03")
    assert a.intent == "negotiation_status" and a.outcome == "no_record" and a.facts == []


def test_a_range_running_past_today_is_answered_as_known_today(assistant) -> None:
    # "this summer", asked in June 2025: the August extension was not known yet.
    a = ask(assistant, "when does the tariff pause end? we ship this summer", "2025-06-04")
    assert a.intent == "truce" and "12 Aug 2025" in a.text and "10 Nov 2025" not in a.text


def test_the_surcharge_dates_a_question_by_its_start_or_its_end(assistant) -> None:
    a = ask(assistant, "US rate on Chinese imports the day before the new surcharge?", "2026-04-01")
    assert a.intent == "tariff_rate" and a.facts[0] == "us-cn-tariff-20"
    u = assistant.understand(
        "once the section 122 surcharge ran out, what did we pay on chinese goods?",
        date(2026, 9, 1),
    )
    assert u.dates and u.dates[0].start == date(2026, 7, 24)


def test_recently_asks_for_the_change_before_the_date(assistant) -> None:
    a = ask(
        assistant,
        "by Christmas 2025 the US duty on China had just been cut. from what?",
        "2026-09-01",
    )
    assert a.intent == "rate_change"
    assert "from 30% to 20%" in a.text


def test_a_date_someone_said_something_is_not_the_date_asked(assistant) -> None:
    a = ask(
        assistant, "is the court case still stayed, as the news reported in June?", "2025-10-01"
    )
    assert a.intent == "court_ruling"
    assert "stayed pending appeal" not in a.lines[0]  # today's state leads, not June's


def test_a_named_truce_that_ended_is_shown_with_its_end_and_what_followed(assistant) -> None:
    a = ask(assistant, "so when did the Geneva truce actually start?", "2026-02-01")
    assert a.intent == "truce" and a.facts[0] == "us-cn-geneva-truce"
    assert "from 14 May 2025 until 10 Nov 2025" in a.lines[0]  # not "in force" today
    assert "Kuala Lumpur" in a.text


def test_two_sides_without_direction_lead_with_the_first_named(assistant) -> None:
    a = ask(assistant, "china usa tariffs right now?", "2025-07-01")
    assert a.lines[0].startswith("China's tariffs on American goods: 10%")
    other = [line for line in a.lines if line.startswith("The other way")]
    assert other == ["The other way, US tariffs on Chinese goods: 30% from 14 May 2025."]


def test_a_rate_announced_before_today_answers_a_later_date(assistant) -> None:
    # The cut to 20% from 10 Nov 2025 was first reported on 30 Oct 2025.
    a = ask(assistant, "what will the US rate on Chinese goods be on 1 Dec 2025?", "2025-11-01")
    assert a.facts[0] == "us-cn-tariff-20" and "not a forecast" in a.text
    early = ask(assistant, "what will the US rate on Chinese goods be on 1 Dec 2025?", "2025-10-20")
    assert "us-cn-tariff-20" not in early.facts  # not yet reported then


def test_a_change_asked_about_an_event_is_the_change_that_followed_it(assistant) -> None:
    a = ask(
        assistant,
        "what did the London talks do to China's tariff on US goods, from what to what?",
        "2026-01-10",
    )
    assert a.intent == "rate_change"
    assert a.lines[0].startswith("China's tariffs on American goods: no change from 10 Jun 2025")
    b = ask(
        assistant,
        "US tariff on Chinese goods: from what to what after the Busan summit?",
        "2026-01-10",
    )
    assert "from 30% to 20%" in b.text


def test_a_change_of_one_layer_is_a_change_of_the_total_citing_stored_facts(assistant) -> None:
    a = ask(assistant, "how did US tariffs on Brazil change?", "2025-10-01")
    assert "went from 10% to 50% on 6 Aug 2025" in a.text
    assert "40%" in a.text and all(i in assistant.index.by_id for i in a.facts)
    assert {"us-ieepa-other-br-40", "us-ieepa-other-world-reciprocal-10-ex-cn"} <= set(a.facts)


def test_talks_without_a_record_answer_with_the_deal_they_produced(assistant) -> None:
    a = ask(assistant, "Where do the US–India trade talks stand?", "2026-02-15")
    assert a.outcome == "answer" and "US–India interim trade agreement" in a.text
    assert "18%" in a.text
    # A negotiator named stands for his side: Japan's deal, not China's talks.
    b = ask(assistant, "Akazawa talks update?", "2026-01-22")
    assert "US–Japan trade agreement" in b.text and "China" not in b.text


@pytest.mark.parametrize(
    ("question", "as_of", "first"),
    [
        ("is the 145% still in force on chinese goods?", "2025-06-01", "No: 30% on 1 Jun 2025."),
        ("is the US tariff on Chinese goods still 30%?", "2025-06-01", "Yes: 30% on 1 Jun 2025."),
        ("Was China's tariff on US imports above 100% on 30 April 2025?", "2025-09-30",
         "Yes: 125% on 30 Apr 2025."),
        ("did trump raise korea to 25%?", "2026-02-05", "No: 15% on 5 Feb 2026."),
    ],
)  # fmt: skip
def test_a_yes_no_question_quoting_a_rate_is_answered_yes_or_no_first(
    assistant, question: str, as_of: str, first: str
) -> None:
    answer = ask(assistant, question, as_of)
    assert answer.text.splitlines()[0] == first


def test_no_verdict_without_a_quoted_rate_or_for_another_aspect(assistant) -> None:
    plain = ask(assistant, "is there a US tariff on Chinese goods?", "2025-06-01")
    assert not plain.text.startswith(("Yes", "No"))
    value = ask(assistant, "what is the US tariff on Chinese goods, 30%?", "2025-06-01")
    assert not value.text.startswith(("Yes", "No"))


def test_a_long_answer_is_cut_to_one_message_saying_so(assistant) -> None:
    composer = assistant.composer
    lines = [f"line {n}: " + "x" * 150 for n in range(20)]
    footer = ["Source: a title — a publisher", "  “a quote”", "More sources: " + "y" * 300]
    text = composer._fit(lines, ["a note"], footer)
    assert len(text) <= 2000
    assert text.startswith("line 0:") and "Source: a title" in text and "a quote" in text
    assert "More sources" not in text and "more lines left out to fit one message" in text
    short = composer._fit(lines[:2], [], footer)
    assert short == "\n".join([*lines[:2], *footer])  # a short answer is left whole
