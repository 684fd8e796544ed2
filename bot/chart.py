"""Step charts of a tariff rate over time (PNG), for `/chart` and `tradebot chart`.

matplotlib is imported only here, when a chart is drawn, with the non-interactive Agg
backend: `tradebot ask` and the bot's start-up never pay for it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from bot.present import human_date, percent
from bot.store import Fact, Source
from bot.vocabulary import Vocabulary

COMPONENT_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]


@dataclass(frozen=True)
class ChartInfo:
    png: bytes
    steps: int
    """How many rate periods were drawn."""
    gaps: list[tuple[date, date]]
    """Periods inside the chart's span with no recorded rate."""
    title: str


def _end(fact: Fact, as_of: date) -> date:
    return fact.valid_to or max(as_of, fact.valid_from + timedelta(days=1))


def gaps_in(series: list[Fact], as_of: date) -> list[tuple[date, date]]:
    out = []
    for prev, nxt in pairwise(series):
        if prev.valid_to and prev.valid_to < nxt.valid_from:
            out.append((prev.valid_to, nxt.valid_from))
    if series and series[-1].valid_to and series[-1].valid_to < as_of:
        out.append((series[-1].valid_to, as_of))
    return out


def rate_chart(
    series: list[Fact],
    sources: dict[str, Source],
    vocab: Vocabulary,
    importer: str,
    exporter: str,
    as_of: date,
) -> ChartInfo:
    """Draw `series` (facts of one importer/exporter pair) as a step chart."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    series = sorted(series, key=lambda f: f.valid_from)
    title = f"Tariffs of {vocab.party_name(importer)} on goods from {vocab.party_name(exporter)}"
    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=110)
    try:
        labelled: set[str] = set()
        for fact in series:
            start, end = fact.valid_from, _end(fact, as_of)
            if fact.components:
                bottom = 0.0
                for i, comp in enumerate(fact.components):
                    label = comp.name if comp.name not in labelled else None
                    labelled.add(comp.name)
                    ax.fill_between(
                        [start, end],
                        bottom,
                        bottom + comp.rate,
                        step="post",
                        color=COMPONENT_COLOURS[i % len(COMPONENT_COLOURS)],
                        alpha=0.75,
                        label=label,
                        linewidth=0,
                    )
                    bottom += comp.rate
            elif fact.rate is not None:
                label = "total rate" if "total rate" not in labelled else None
                labelled.add("total rate")
                ax.fill_between(
                    [start, end],
                    0,
                    fact.rate,
                    step="post",
                    color="#7f7f7f",
                    alpha=0.6,
                    label=label,
                    linewidth=0,
                )
            else:  # sources disagree: show the range
                low, high = min(fact.rate_candidates), max(fact.rate_candidates)
                ax.fill_between(
                    [start, end],
                    low,
                    high,
                    step="post",
                    color="#bcbd22",
                    alpha=0.5,
                    hatch="//",
                    label="sources disagree",
                    linewidth=0,
                )
            top = fact.rate if fact.rate is not None else max(fact.rate_candidates)
            text = (
                percent(fact.rate)
                if fact.rate is not None
                else "–".join(percent(r) for r in fact.rate_candidates)
            )
            if fact.confidence != "high":
                text += f" ({fact.confidence})"
            ax.annotate(
                text, (start + (end - start) / 2, top), ha="center", va="bottom", fontsize=8
            )
        for gap_start, gap_end in gaps_in(series, as_of):
            ax.axvspan(
                gap_start,
                gap_end,
                color="#dddddd",
                alpha=0.6,
                hatch="..",
                label="no record" if "no record" not in labelled else None,
            )
            labelled.add("no record")
        ax.axvline(as_of, color="black", linestyle="--", linewidth=1)
        ax.annotate(
            f"today ({human_date(as_of)})",
            (as_of, ax.get_ylim()[1] * 0.95),
            rotation=90,
            ha="right",
            va="top",
            fontsize=8,
        )
        ax.set_title(title)
        ax.set_ylabel("additional tariff (%)")
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
        fig.autofmt_xdate()
        if labelled:
            ax.legend(loc="best", fontsize=7)
        cited = []
        for fact in series:
            for c in fact.citations:
                src = sources.get(c.source_id)
                if src and src not in cited:
                    cited.append(src)
        footnote = "Sources: " + "; ".join(
            f"{s.publisher} {s.published.isoformat()}" for s in cited[:8]
        )
        if len(cited) > 8:
            footnote += f"; +{len(cited) - 8} more"
        if not series:
            footnote = "No recorded rate for this pair."
        fig.text(0.01, 0.01, footnote, fontsize=6, wrap=True)
        fig.subplots_adjust(bottom=0.25)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
    finally:
        plt.close(fig)
    return ChartInfo(
        png=buffer.getvalue(), steps=len(series), gaps=gaps_in(series, as_of), title=title
    )
