from bot.understand.text import clean_for_display, normalise


def test_punctuation_case_and_contractions() -> None:
    assert normalise("What’s the U.S. tariff on China’s goods??") == (
        "what is the us tariff on china goods"
    )
    assert normalise("Is the 30 % rate still on?") == "is the 30% rate still on"


def test_mentions_urls_and_zero_width_are_removed() -> None:
    text = "<@123456> @everyone tar\u200biff <#42> https://x.y/z on <@&99> china"
    assert normalise(text) == "tariff on china"
    assert "@everyone" not in clean_for_display("hi @everyone and @here")
    assert "<@123>" not in clean_for_display("<@123> hello")


def test_normalise_keeps_the_whole_text() -> None:
    # Long questions are bounded by the engine (answered "too long"), never cut here: a
    # cut would answer the first words as if they were the whole question.
    text = "tariff " * 2000 + "china"
    assert normalise(text) == text.strip()


def test_display_copy_kept_for_review_is_bounded() -> None:
    assert len(clean_for_display("x" * 5000)) <= 500


def test_accents_are_folded() -> None:
    assert normalise("Türkiye tariffs — café") == "turkiye tariffs cafe"
