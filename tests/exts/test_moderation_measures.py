"""/fact add and /fact edit take a tariff measure's scope, authority, rate kind and
instrument on the form's first line (bot/forms.py), and show them when editing."""

from __future__ import annotations

from tests.exts.test_discord import assert_no_pings

STEEL = "us-steel-232-test"
STEEL_LINE = (
    "50; products: steel, aluminium; origins: all except GB, AU; authority: section-232; "
    "instrument: Proclamation 10947"
)
STEEL_FORM = {
    "value": STEEL_LINE,
    "statement": "The US charges 50% on steel and aluminum from every country but the UK.",
    "valid": "2025-06-04",
    "source": "https://example.org/steel | Steel tariffs doubled | Example News | 2025-06-03",
    "fact_id": STEEL,
}


def reply_of(result):
    return result.followups[-1] if result.followups else result.response


async def add_steel(world, value: str = STEEL_LINE):
    shown = await world.mod.slash(
        world.channel,
        "fact add",
        kind="tariff_rate",
        reason="steel proclamation",
        importer="US",
        exporter="WORLD",
    )
    labels = [c["components"][0]["label"] for c in shown.modal["components"]]
    assert labels[0].startswith("Rate in percent; products")  # the label says clauses go here
    return await world.mod.submit_modal(shown, {**STEEL_FORM, "value": value})


async def test_add_takes_the_measure_fields_from_the_first_line(world) -> None:
    message = reply_of(await add_steel(world))
    assert message.ephemeral and f"Added **{STEEL}**" in message.content
    fact = world.store.require(STEEL)
    assert (fact.rate, fact.importer, fact.exporter) == (50, "US", "WORLD")
    assert fact.products == ("steel", "aluminum")  # "aluminium" is a name of the group
    assert (fact.origins, fact.origins_except) == (("WORLD",), ("GB", "AU"))
    assert (fact.authority, fact.instrument) == ("section-232", "Proclamation 10947")
    assert "section-232" in message.content and "steel, aluminum" in message.content
    assert_no_pings(world.env)


async def test_edit_shows_the_measure_fields_and_changes_one(world) -> None:
    await add_steel(world)
    shown = await world.mod.slash(world.channel, "fact edit", fact=STEEL, reason="floor")
    values = {
        c["components"][0]["custom_id"]: c["components"][0].get("value")
        for c in shown.modal["components"]
    }
    assert values["value"] == (
        "50; products: steel, aluminum; origins: all except GB, AU; authority: section-232; "
        "instrument: Proclamation 10947"
    )
    filled = {k: v for k, v in values.items() if v is not None}
    result = await world.mod.submit_modal(
        shown, {**filled, "value": values["value"] + "; rate kind: floor"}
    )
    text = reply_of(result).content
    assert f"Updated **{STEEL}**" in text and "rate kind" in text and "floor" in text
    fact = world.store.require(STEEL)
    assert (fact.rate_kind, fact.revision, fact.products) == ("floor", 2, ("steel", "aluminum"))


async def test_an_unknown_product_is_refused_and_nothing_is_added(world) -> None:
    before = len(world.store.facts(include_retracted=True))
    message = reply_of(await add_steel(world, "50; products: unobtainium; authority: section-232"))
    assert message.ephemeral and "products" in message.content
    assert "unobtainium" in message.content
    assert len(world.store.facts(include_retracted=True)) == before
    assert world.env.errors == []
