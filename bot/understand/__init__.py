"""Question understanding: normalisation, entities, dates, intent rules, matching."""
