"""Markdown rendering of a benchmark run and appending it to docs/benchmarks.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MISSING_DOC_HEADER = (
    "# Benchmarks\n\nResults of `python -m bench` (`tox -e bench`), newest run last.\n"
)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class SectionResult:
    """What one section measured, or why it did not run."""

    title: str
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_run: str | None = None
    headlines: list[str] = field(default_factory=list)  # one-line key figures for the run


def escape_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_table(table: Table) -> str:
    width = len(table.headers)
    for row in table.rows:
        if len(row) != width:
            raise ValueError(f"row {row!r} has {len(row)} cells, the table has {width} columns")
    lines = [
        "| " + " | ".join(escape_cell(h) for h in table.headers) + " |",
        "|" + "|".join("---" for _ in table.headers) + "|",
    ]
    lines += ["| " + " | ".join(escape_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines)


def render_section(result: SectionResult) -> str:
    parts = [f"### {result.title}"]
    if result.not_run is not None:
        parts.append(f"not run: {result.not_run}")
    parts += [render_table(t) for t in result.tables]
    if result.notes:
        parts.append("\n".join(f"- {note}" for note in result.notes))
    return "\n\n".join(parts) + "\n"


def render_machine(machine: dict[str, str]) -> str:
    return render_table(Table(["machine", ""], [[k, v] for k, v in machine.items()]))


def render_headlines(sections: list[SectionResult]) -> str:
    lines = [f"- {line}" for s in sections for line in s.headlines]
    lines += [f"- {s.title}: not run ({s.not_run})" for s in sections if s.not_run is not None]
    return "Headlines:\n\n" + "\n".join(lines) if lines else ""


def render_run(heading: str, machine: dict[str, str], sections: list[SectionResult]) -> str:
    blocks = [f"## {heading}", render_machine(machine)]
    headlines = render_headlines(sections)
    if headlines:
        blocks.append(headlines)
    blocks += [render_section(s).rstrip("\n") for s in sections]
    return "\n\n".join(blocks) + "\n"


def append_run(doc: Path, text: str) -> None:
    """Append TEXT to DOC, creating it with a short header when it does not exist."""
    existing = doc.read_text() if doc.exists() else MISSING_DOC_HEADER
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(existing.rstrip("\n") + "\n\n" + text)
