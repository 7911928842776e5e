"""What `csckpi benchmarks import` says: what the published file gave, and what was stored.

Problems go to stderr as `csckpi ingest`'s do (:func:`csckpi.render.problems.print_problems`);
the summary goes to stdout. ``--format json`` puts everything in one document for scripts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from csckpi.model import Comparator, Problem
from csckpi.published import ImportResult, PublishedBenchmark, Standing
from csckpi.render.problems import changes_text, count, of_file, ordered, when
from csckpi.render.tables import to_json
from csckpi.store import IngestSummary, Outcome


def import_summary(result: ImportResult, summary: IngestSummary, *, verbose: bool = False) -> str:
    """The closing summary of an import, for people; revised figures listed after it."""
    s = summary
    if s.outcome is Outcome.REFUSED:
        return (
            f"Nothing written to {s.store}: the import of {s.file} has "
            f"{count(s.errors, 'error')}, listed above.\n"
            "Fix them (in the file, the map or the neighbour list) and import again.\n"
        )
    if s.outcome is Outcome.ALREADY:
        return (
            f"{s.file}, with this map, is already in {s.store} (ingest {s.ingest_id}"
            f"{of_file(s)}, {when(s.ingested_at)}, same SHA-256): nothing changed.\n"
        )
    if s.outcome is Outcome.DRY_RUN:
        head = f"Dry run: nothing written to {s.store}. Importing {s.file} would give:\n"
    else:
        head = f"Imported {s.file} into {s.store} (ingest {s.ingest_id}, {when(s.ingested_at)}).\n"
    rows = [
        *_found(result),
        ("Figures", f"{s.added:,} added, {s.revised:,} revised, {s.unchanged:,} unchanged"),
        ("Warnings", f"{s.warnings:,}"),
    ]
    return (
        head
        + "".join(f"  {label:<11} {value}\n" for label, value in rows)
        + changes_text(s, verbose)
    )


def _found(result: ImportResult) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    if result.release is not None:
        rows.append(("Release", str(result.release)))
    if result.council is not None:
        c = result.council
        codes = ", ".join(code for code in (c.new_la_code, c.old_la_code) if code)
        region = f", {c.region_name}" if c.region_name else ""
        rows.append(("Council", f"{c.name} ({codes}){region}"))
    if result.years:
        rows.append(("Years", ", ".join(y.label for y in result.years)))
    with_figure = [b for b in result.benchmarks if b.value is not None]
    names = []
    for comparator in (Comparator.ENGLAND, Comparator.REGION, Comparator.STATISTICAL_NEIGHBOURS):
        found = [b for b in with_figure if b.comparator is comparator]
        if found:
            names.append(found[0].name)
    listed = f" ({', '.join(names)})" if names else ""
    missing = len(result.benchmarks) - len(with_figure)
    without = f"; {count(missing, 'figure')} withheld" if missing else ""
    rows.append(("Benchmarks", f"{len(with_figure):,}{listed}{without}"))
    ranked = sum(1 for s in result.standings if s.rank is not None)
    unranked = len(result.standings) - ranked
    rows.append(("Standings", f"{ranked:,} ranked, {unranked:,} not ranked"))
    if result.neighbours:
        rows.append(("Neighbours", f"the {result.neighbours} list"))
    return rows


def benchmark_dict(b: PublishedBenchmark) -> dict[str, Any]:
    return {
        "code": b.code,
        "comparator": b.comparator.value,
        "name": b.name,
        "year": b.year.label,
        "year_text": b.year.text,
        "release": b.release.name,
        "version": b.release.version,
        "value": b.value,
        "symbol": b.symbol,
        "reason": b.reason,
        "where": b.where,
        "neighbours": b.basis.with_figure if b.basis else None,
        "listed": b.basis.listed if b.basis else None,
    }


def standing_dict(s: Standing) -> dict[str, Any]:
    return {
        "code": s.code,
        "year": s.year.label,
        "release": s.release.name,
        "version": s.release.version,
        "polarity": s.polarity.value,
        "order": s.order,
        "value": s.value,
        "rank": s.rank,
        "of": s.of,
        "tied": s.tied,
        "quartile": s.quartile,
        "withheld": s.withheld,
        "symbol": s.symbol,
        "reason": s.reason,
        "where": s.where,
    }


def import_json(problems: Sequence[Problem], result: ImportResult, summary: IngestSummary) -> str:
    """Problems, what the file gave and the summary, as one JSON document for scripts."""
    return to_json(
        {
            "problems": [p.as_dict() for p in ordered(problems)],
            "summary": summary.as_dict(),
            "benchmarks": [benchmark_dict(b) for b in result.benchmarks],
            "standings": [standing_dict(s) for s in result.standings],
            "notes": list(result.notes),
        }
    )
