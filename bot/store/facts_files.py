"""Curated facts files (TOML, one per topic): validate, load idempotently, export back.

A file is self-contained: it defines the sources its facts cite. Loading is all or
nothing: if any file has a problem, every problem is reported (file, fact id, field) and
the database is not touched. A fact whose file entry changed since the last load gets a
new revision attributed to the file; an unchanged entry writes nothing, so moderators'
edits made in Discord survive restarts that reload the same files.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

from bot.store.errors import StoreError
from bot.store.model import CONTENT_FIELDS, MEASURE_FIELDS, Author, Fact, Source
from bot.store.overlap import OverlapError
from bot.store.source_rules import parse_source
from bot.store.store import FactStore
from bot.store.validate import LIMITS, ValidationError, fact_to_raw, parse_fact
from bot.vocabulary import Vocabulary

FILE_KEYS = {"title", "sources", "facts"}


@dataclass
class FactsFile:
    path: Path
    topic: str
    title: str
    sources: dict[str, Source]
    facts: list[Fact]
    retractions: dict[str, str] = field(default_factory=dict)


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retracted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources_corrected: list[str] = field(default_factory=list)

    def summary(self) -> str:
        corrected = (
            f", {len(self.sources_corrected)} sources corrected" if self.sources_corrected else ""
        )
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.retracted)} retracted, {len(self.unchanged)} unchanged{corrected}"
        )


class FactsFileError(StoreError):
    """Every problem found in the files, one line each; nothing was loaded."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            "facts files not loaded (nothing was changed); fix these and load again:\n"
            + "\n".join(f"  {p}" for p in problems)
        )


def bundled_facts_dir() -> Path:
    """Where the shipped facts live: `bot/_facts` in a wheel, `facts/` in a checkout."""
    packaged = Path(str(resources.files("bot"))) / "_facts"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "facts"
    if checkout.is_dir():
        return checkout
    raise StoreError("the bundled facts are missing from this installation; reinstall tradebot")


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        bundled = bundled_facts_dir().resolve()
        try:
            return "facts/" + str(path.resolve().relative_to(bundled))
        except ValueError:
            return str(path)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories become their *.toml and *.json files, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(sorted([*path.glob("*.toml"), *path.glob("*.json")]))
        else:
            out.append(path)
    return out


def inside(folder: Path, relative: str) -> Path | None:
    """`folder / relative` when it stays inside `folder` once `..` and symlinks are
    resolved; None when it points elsewhere (an absolute path, `../x`, a link out)."""
    if not relative or "\\" in relative or Path(relative).is_absolute():
        return None
    target = folder / relative
    try:
        resolved = target.resolve()
        root = folder.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return target if resolved.is_relative_to(root) and resolved != root else None


def read_facts_file(path: Path, vocab: Vocabulary) -> tuple[FactsFile | None, list[str]]:
    """Parse and validate one file; return it or the problems found in it."""
    name = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except FileNotFoundError:
        return None, [f"{name}: file not found"]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{name}: cannot be read ({exc})"]
    except tomllib.TOMLDecodeError as exc:
        return None, [f"{name}: not valid TOML: {exc}"]
    except json.JSONDecodeError as exc:
        return None, [f"{name}: not valid JSON: {exc}"]
    if not isinstance(data, dict):
        return None, [f"{name}: must hold a table with title, sources and facts"]

    problems: list[str] = []
    topic = path.stem
    for key in data:
        if key not in FILE_KEYS:
            problems.append(f"{name}: unknown top-level key '{key}' (known: title, sources, facts)")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{name}: title is required (a line saying what the file covers)")
        title = topic

    sources: dict[str, Source] = {}
    for i, raw in enumerate(_tables(data.get("sources"), name, "sources", problems), 1):
        label = f"{name}, source {raw.get('id', f'#{i}')}"
        document = None
        if isinstance(raw.get("document"), str):
            doc_path = inside(path.parent, raw["document"])
            if doc_path is None:
                problems.append(
                    f"{label}: document '{raw['document']}' is outside the facts folder; "
                    "keep documents in it (e.g. documents/NAME.txt)"
                )
            else:
                try:
                    document = doc_path.read_text(encoding="utf-8")
                except OSError:
                    problems.append(f"{label}: document '{raw['document']}' cannot be read")
        try:
            source = parse_source(raw, document=document)
        except ValidationError as exc:
            problems.extend(f"{label}: {e}" for e in exc.errors)
            continue
        if source.id in sources:
            problems.append(f"{label}: id is defined twice in this file")
        sources[source.id] = source

    facts: list[Fact] = []
    retractions: dict[str, str] = {}
    seen: set[str] = set()
    for i, raw in enumerate(_tables(data.get("facts"), name, "facts", problems), 1):
        fact_id = raw.get("id", f"#{i}")
        label = f"{name}, fact {fact_id}"
        if "topic" in raw and raw["topic"] != topic:
            problems.append(f"{label}: topic is the file's name ('{topic}'); remove the field")
        raw = {k: v for k, v in raw.items() if k not in ("topic", "retracted")} | {"topic": topic}
        cited = [
            sources[c["source"]]
            for c in raw.get("citations") or []
            if isinstance(c, Mapping) and c.get("source") in sources
        ]
        default_recorded = max((s.published for s in cited), default=None)
        try:
            fact = parse_fact(raw, vocab=vocab, sources=sources, default_recorded=default_recorded)
        except ValidationError as exc:
            problems.extend(f"{label}: {e}" for e in exc.errors)
            continue
        if fact.id in seen:
            problems.append(f"{label}: id is used twice in this file")
        seen.add(fact.id)
        reason = data["facts"][i - 1].get("retracted")
        if reason is not None:
            if not isinstance(reason, str) or not (
                LIMITS["reason"][0] <= len(reason.strip()) <= LIMITS["reason"][1]
            ):
                problems.append(f"{label}: retracted must be the reason, 3–500 characters")
            else:
                retractions[fact.id] = reason
        facts.append(fact)

    if problems:
        return None, problems
    return FactsFile(path, topic, title.strip(), sources, facts, retractions), []


def _tables(value: Any, name: str, key: str, problems: list[str]) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        problems.append(f"{name}: {key} must be a list of tables ([[{key}]])")
        return []
    return value


def read_facts_files(paths: Iterable[Path], vocab: Vocabulary) -> list[FactsFile]:
    """Validate every file and their consistency with each other; raise on any problem."""
    files: list[FactsFile] = []
    problems: list[str] = []
    for path in expand_paths(paths):
        parsed, found = read_facts_file(path, vocab)
        problems.extend(found)
        if parsed:
            files.append(parsed)
    owner: dict[str, str] = {}
    shared_sources: dict[str, Source] = {}
    for f in files:
        for fact in f.facts:
            if fact.id in owner and owner[fact.id] != display_path(f.path):
                problems.append(
                    f"{display_path(f.path)}, fact {fact.id}: id is also used in {owner[fact.id]}"
                )
            owner[fact.id] = display_path(f.path)
        for source in f.sources.values():
            other = shared_sources.setdefault(source.id, source)
            if other.content() != source.content():
                problems.append(
                    f"{display_path(f.path)}, source {source.id}: defined differently in "
                    "another file; make the copies identical"
                )
    if problems:
        raise FactsFileError(problems)
    if not files:
        raise FactsFileError(["no facts files found (expected *.toml files)"])
    return files


def load_facts(
    store: FactStore, paths: Iterable[Path], *, correct_sources: bool = False
) -> LoadReport:
    """Load facts files into the store in one transaction (see module docstring).

    `correct_sources`: a source stored with another title, publisher or date than the
    file gives is corrected, as a recorded source revision (the bundled facts, whose
    sources were re-read from their pages); otherwise that difference is refused."""
    files = read_facts_files(paths, store.vocab)
    report = LoadReport()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction() as db:
        if correct_sources:
            for f in files:
                for source in f.sources.values():
                    if _correct_source(store, source, display_path(f.path)):
                        report.sources_corrected.append(source.id)
        conflicts = [
            f"{display_path(f.path)}, source {source.id}: {error}"
            for f in files
            for source in f.sources.values()
            for error in store.source_conflicts(source)
        ]
        if conflicts:  # a file never changes or replaces a stored source
            raise FactsFileError(conflicts)
        for f in files:
            name = display_path(f.path)
            author = Author(name=_file_author(name))
            store.set_topic(f.topic, f.title)
            for source in f.sources.values():
                store.put_source(source)
            for fact in f.facts:
                digest = fact.digest()
                existing = store.get(fact.id, missing_ok=True)
                loaded = db.execute(
                    "SELECT digest FROM file_loads WHERE fact_id = ?", [fact.id]
                ).fetchone()
                if existing is None:
                    store.add(fact, by=author, reason=f"loaded from {name}", check_overlap=False)
                    report.created.append(fact.id)
                elif (loaded and loaded[0] == digest) or existing.digest() == digest:
                    report.unchanged.append(fact.id)
                else:
                    store.replace_content(
                        fact,
                        base_revision=existing.revision,
                        by=author,
                        reason=f"{name} changed",
                        check_overlap=False,
                    )
                    report.updated.append(fact.id)
                if fact.id in f.retractions and not store.require(fact.id).retracted:
                    store.retract(fact.id, by=author, reason=f.retractions[fact.id])
                    report.retracted.append(fact.id)
                db["file_loads"].upsert(
                    {"fact_id": fact.id, "path": name, "digest": digest, "loaded_at": now},
                    pk="fact_id",
                )
        _refuse_overlaps(store, files)
        in_files = {fact.id for f in files for fact in f.facts}
        topics = {f.topic for f in files}
        for fact in store.facts(include_retracted=True):
            if fact.topic in topics and fact.id not in in_files and not fact.retracted:
                report.warnings.append(
                    f"fact {fact.id} (topic {fact.topic}) is in the store but no longer in the "
                    f"file; it was kept. Retract it with `tradebot facts retract {fact.id}` "
                    "if it should go."
                )
    return report


def _correct_source(store: FactStore, source: Source, name: str) -> bool:
    """Give a stored source (same id and URL) the file's title, publisher and date —
    unless a moderator edited it: that edit stands, and the difference is refused (named)
    like any other file's."""
    stored = store.get_source(source.id, missing_ok=True)
    if stored is None or stored.url != source.url:
        return False
    if any(not r.author.startswith("file:") for r in store.source_history(source.id)):
        return False
    changes = {
        key: getattr(source, key)
        for key in ("title", "publisher", "published")
        if getattr(stored, key) != getattr(source, key)
    }
    if not changes:
        return False
    store.edit_source(
        source.id,
        changes,
        by=Author(name=_file_author(name)),
        reason=f"corrected in {name} (read from the page)",
    )
    return True


def _refuse_overlaps(store: FactStore, files: list[FactsFile]) -> None:
    """Once every fact of the files is written (so a file may end a measure and start its
    successor in any order), refuse the load if a tariff fact now overlaps another of the
    same scope; the caller's transaction then rolls everything back."""
    problems, seen = [], set()
    for f in files:
        for fact in f.facts:
            stored = store.get(fact.id, missing_ok=True)
            try:
                if stored is not None:
                    store.refuse_overlap(stored)
            except OverlapError as exc:
                pair = frozenset((exc.fact_id, exc.other_id))
                if pair not in seen:  # A overlaps B is B overlaps A: say it once
                    seen.add(pair)
                    problems.append(f"{display_path(f.path)}, fact {fact.id}: {exc}")
    if problems:
        raise FactsFileError(problems)


def ensure_loaded(store: FactStore) -> LoadReport | None:
    """Load the bundled facts into an empty store (first run); otherwise do nothing."""
    if not store.is_empty():
        return None
    return load_facts(store, [bundled_facts_dir()])


# ---- export -----------------------------------------------------------------------------


EXPORT_FORMATS = ("toml", "json", "csv")
SAFE_TOPIC = re.compile(r"[a-z0-9][a-z0-9-]{0,79}")


def export_facts(store: FactStore, directory: Path, fmt: str = "toml") -> list[Path]:
    """Write the store to `directory`.

    toml / json: one file per topic in the loader's format (plus held documents), so an
    export loads back unchanged. csv: facts.csv, sources.csv and citations.csv for
    spreadsheets (flat, one-way: not read back).
    """
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format '{fmt}'; use one of {', '.join(EXPORT_FORMATS)}")
    directory.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        return _export_csv(store, directory)
    facts = store.facts(include_retracted=True)
    sources = store.sources()
    titles = store.topics()
    planned: dict[str, str] = {}  # path relative to `directory` -> text
    topic_files: list[str] = []
    for topic in sorted({f.topic for f in facts}):
        if not SAFE_TOPIC.fullmatch(topic):
            raise StoreError(
                f"topic '{topic}' cannot be a file name (a-z, 0-9 and '-'); nothing was "
                "written. Move its facts to another topic first."
            )
        topic_facts = [f for f in facts if f.topic == topic]
        cited_ids = sorted({sid for f in topic_facts for sid in f.source_ids})
        data: dict[str, Any] = {"title": titles.get(topic, topic)}
        data["sources"] = [_source_table(sources[sid], planned) for sid in cited_ids]
        data["facts"] = [_fact_table(f) for f in topic_facts]
        if fmt == "json":
            text = json.dumps(data, indent=2, ensure_ascii=False, default=_iso) + "\n"
        else:
            text = tomli_w.dumps(data, multiline_strings=False)
        planned[f"{topic}.{fmt}"] = text
        topic_files.append(f"{topic}.{fmt}")
    targets = {rel: inside(directory, rel) for rel in planned}
    outside = sorted(rel for rel, target in targets.items() if target is None)
    if outside:  # paths come from stored data: never write outside the folder asked for
        raise StoreError(
            f"export refused: {', '.join(outside)} would be written outside {directory}; "
            "nothing was written"
        )
    for rel, text in planned.items():
        target = targets[rel]
        assert target is not None
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, text)
    return [directory / rel for rel in topic_files]


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


CSV_FACT_COLUMNS = (
    "id",
    *(name for name in CONTENT_FIELDS if name != "citations"),
    *MEASURE_FIELDS,
    "revision",
    "retracted",
    "retracted_reason",
    "source_ids",
)


def _export_csv(store: FactStore, directory: Path) -> list[Path]:
    facts = store.facts(include_retracted=True)
    fact_rows = []
    for f in facts:
        fact_rows.append(
            {
                **{k: v for k, v in f.content().items() if k in CSV_FACT_COLUMNS},
                "id": f.id,
                "parties": ";".join(f.parties),
                "rate_candidates": ";".join(f"{r:g}" for r in f.rate_candidates),
                "components": ";".join(f"{c.name}={c.rate:g}" for c in f.components),
                **_measure_cells(f),
                "revision": f.revision,
                "retracted": int(f.retracted),
                "retracted_reason": f.retracted_reason,
                "source_ids": ";".join(f.source_ids),
            }
        )
    source_rows = [
        {
            "id": s.id,
            "url": s.url,
            "title": s.title,
            "publisher": s.publisher,
            "published": s.published.isoformat(),
            "document_held": int(bool(s.document)),
        }
        for s in store.sources().values()
    ]
    citation_rows = [
        {"fact_id": f.id, "position": i, "source_id": c.source_id, "quote": c.quote or ""}
        for f in facts
        for i, c in enumerate(f.citations, 1)
    ]
    written = []
    for name, columns, rows in (
        ("facts.csv", CSV_FACT_COLUMNS, fact_rows),
        (
            "sources.csv",
            ("id", "url", "title", "publisher", "published", "document_held"),
            source_rows,
        ),
        ("citations.csv", ("fact_id", "position", "source_id", "quote"), citation_rows),
    ):
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        _atomic_write(directory / name, buffer.getvalue())
        written.append(directory / name)
    return written


def _measure_cells(fact: Fact) -> dict[str, Any]:
    """The measure fields as flat cells: lists joined with ';', attributes as JSON, and
    empty cells when unset (so a pre-measure fact's row reads as before)."""
    cells: dict[str, Any] = {}
    for name in MEASURE_FIELDS:
        value = getattr(fact, name)
        if name == "attributes":
            content = fact.content().get("attributes")
            cells[name] = json.dumps(content, ensure_ascii=False) if content else ""
        elif isinstance(value, tuple):
            cells[name] = ";".join(value)
        else:
            cells[name] = value or ""
    return cells


def _source_table(source: Source, planned: dict[str, str]) -> dict[str, Any]:
    """The source's table in a facts file; its held document is added to `planned`."""
    table: dict[str, Any] = {
        "id": source.id,
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "published": source.published,
    }
    if source.document is not None:
        rel = source.document_file or f"documents/{source.id}.txt"
        planned[rel] = source.document
        table["document"] = rel
    return table


def _fact_table(fact: Fact) -> dict[str, Any]:
    raw = fact_to_raw(fact)
    raw.pop("topic", None)
    for key in ("valid_from", "valid_to", "due", "recorded"):
        if key in raw:
            raw[key] = date.fromisoformat(raw[key])
    if fact.retracted:
        raw["retracted"] = fact.retracted_reason or "retracted"
    # Short lists and tables first, so each fact reads top to bottom in the file.
    ordered = {k: v for k, v in raw.items() if k not in ("components", "citations")}
    for key in ("components", "citations"):
        if key in raw:
            ordered[key] = raw[key]
    return ordered


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _file_author(name: str) -> str:
    """Revisions from a facts file name it; a long path keeps its end (the file), within
    the 100 characters an author's name may have."""
    label = f"file:{name}"
    return label if len(label) <= 100 else "file:…" + label[-94:]
