"""Which variables of a Terraform folder a rule ties together, and which good cases can share
one instance of the failures root (tests/inventory_build.py).

A good case (plan_helpers.BadInput with message None) must plan without any error. Planned
alone, each costs a whole module instance in the plan; most modules have dozens of them, one
per edge of each rule. Cases whose variables no rule ties together cannot change each
other's outcome, so they are planned as one instance: if it plans cleanly, every case in it
does. If it does not, its cases are planned again one by one, so that an error is still
filed under the case that caused it.

Two variables are tied when one condition mentions both: a variable validation, a
precondition, postcondition or check, directly or through locals, or the `count` or
`for_each` of the block the condition sits in, or through a local module the folder calls
(its conditions, mapped back through the arguments of the call). What no condition states
is not seen: a good value that only plans because another case's value is set would pass
here and fail alone; such a pair is a missing precondition in the module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import hcl2

if TYPE_CHECKING:
    from inventory_build import Instance

VAR = re.compile(r"\bvar\.([A-Za-z0-9_]+)")
LOCAL = re.compile(r"\blocal\.([A-Za-z0-9_]+)")


def _parsed(folder: Path) -> list[dict]:
    documents = []
    for path in sorted(folder.glob("*.tf")):
        with path.open() as handle:
            documents.append(hcl2.load(handle))
    return documents


def _conditions(node: Any, gate: str = "") -> Iterator[str]:
    """The text of every `condition` in NODE (validations, pre/postconditions, checks), each
    with the `count` or `for_each` of the blocks around it: a precondition of a resource
    that a toggle creates ties the toggle to what the condition reads."""
    if isinstance(node, dict):
        gate += "".join(json.dumps(node[key]) for key in ("count", "for_each") if key in node)
        for key, value in node.items():
            if key == "condition":
                yield gate + json.dumps(value)
            else:
                yield from _conditions(value, gate)
    elif isinstance(node, list):
        for item in node:
            yield from _conditions(item, gate)


@cache
def tied_groups(folder: Path) -> tuple[frozenset[str], ...]:
    """Sets of FOLDER's variables that one condition ties together."""
    documents = _parsed(folder)
    local_text = {
        name: json.dumps(value)
        for document in documents
        for block in document.get("locals", [])
        for name, value in block.items()
        if not name.startswith("__")
    }

    def variables(text: str, seen: frozenset[str] = frozenset()) -> set[str]:
        found = set(VAR.findall(text))
        for name in set(LOCAL.findall(text)) - seen:
            found |= variables(local_text.get(name, ""), seen | {name})
        return found

    groups = [
        frozenset(variables(text)) for document in documents for text in _conditions(document)
    ]
    for document in documents:
        for call in document.get("module", []):
            for arguments in call.values():
                source = arguments.get("source", "")
                source = source[0] if isinstance(source, list) else source  # hcl2 wraps values
                if not source.startswith("."):
                    continue
                for callee_group in tied_groups((folder / source).resolve()):
                    mapped = set()
                    for argument in callee_group:
                        mapped |= variables(json.dumps(arguments.get(argument, "")))
                    groups.append(frozenset(mapped))
    return tuple(group for group in groups if len(group) > 1)


def touched(groups: Iterable[frozenset[str]], names: Iterable[str]) -> set[str]:
    """NAMES and every variable a condition ties to them, transitively."""
    reached = set(names)
    grown = True
    while grown:
        grown = False
        for group in groups:
            if group & reached and not group <= reached:
                reached |= group
                grown = True
    return reached


def _fits(members: list[Instance], reach: list[set[str]], candidate: Instance, own: set[str]):
    if any(own & other for other in reach):
        return False
    first = members[0]
    if first.source != candidate.source or first.providers != candidate.providers:
        return False
    set_anywhere = {n for m in (*members, candidate) for n in m.set_values}
    keys = (set(first.values) | set(candidate.values)) - set_anywhere
    return all(first.values.get(k) == candidate.values.get(k) for k in keys)


def merge_good_cases(
    repo: Path, good: list[Instance]
) -> tuple[list[Instance], dict[str, list[Instance]]]:
    """GOOD packed into as few instances as no tied variables allow (first fit).

    Returns the instances to plan and, for each merged one, the cases it stands for. A case
    alone in its bin is planned as itself.
    """
    bins: list[tuple[list[Instance], list[set[str]]]] = []
    for case in good:
        own = touched(tied_groups((repo / case.source).resolve()), case.set_values)
        for members, reach in bins:
            if _fits(members, reach, case, own):
                members.append(case)
                reach.append(own)
                break
        else:
            bins.append(([case], [own]))
    planned: list[Instance] = []
    merged: dict[str, list[Instance]] = {}
    for number, (members, _) in enumerate(bins):
        if len(members) == 1:
            planned.append(members[0])
            continue
        values = dict(members[0].values)
        for member in members[1:]:
            values.update({name: member.values[name] for name in member.set_values})
        name = f"merged_good_{number}"
        set_values = tuple(n for m in members for n in m.set_values)
        planned.append(replace(members[0], name=name, values=values, set_values=set_values))
        merged[name] = members
    return planned, merged
