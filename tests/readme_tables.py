"""Test helper: module READMEs' inputs/outputs tables and the variables/outputs they document."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import hcl2

ROW = re.compile(r"^\|\s*`(?P<name>[^`]+)`\s*\|(?P<rest>.*)\|\s*$")


@dataclass(frozen=True, order=True)
class Documented:
    name: str
    description: str
    required: bool | None = None


def normalise(text: str) -> str:
    return " ".join(text.replace("\\|", "|").replace('\\"', '"').split())


def _blocks(path: Path, kind: str) -> dict[str, dict]:
    blocks: dict[str, dict] = {}
    for tf in sorted(path.glob("*.tf")):
        with tf.open() as handle:
            for block in hcl2.load(handle).get(kind, []):
                blocks.update(block)
    return blocks


def code_variables(module: Path) -> list[Documented]:
    return sorted(
        Documented(name, normalise(body["description"][0]), "default" not in body)
        for name, body in _blocks(module, "variable").items()
    )


def code_outputs(module: Path) -> list[Documented]:
    return sorted(
        Documented(name, normalise(body["description"][0]))
        for name, body in _blocks(module, "output").items()
    )


def _section_rows(readme: str, heading: str) -> list[tuple[str, list[str]]]:
    match = re.search(rf"^## {heading}\s*$(.*?)(?=^## |\Z)", readme, re.M | re.S)
    if not match:
        return []
    rows = []
    for line in match.group(1).splitlines():
        row = ROW.match(line.strip())
        if row:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", row.group("rest"))]
            rows.append((row.group("name"), cells))
    return rows


def readme_inputs(readme: str) -> list[Documented]:
    return sorted(
        Documented(name, normalise(cells[0]), cells[-1].strip() == "yes")
        for name, cells in _section_rows(readme, "Inputs")
    )


def readme_outputs(readme: str) -> list[Documented]:
    return sorted(
        Documented(name, normalise(cells[0])) for name, cells in _section_rows(readme, "Outputs")
    )
