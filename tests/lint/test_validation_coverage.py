"""Every validation and precondition message is produced by a bad-input case, and back.

Static and fast: the rules are the `error_message` strings of `validation` and
`precondition` blocks in modules/*, live/_stacks/* and bootstrap/ (postconditions
check what AWS returned, not what a user typed, and are left out); the cases are
the `CASES` of tests/unit/*_bad_input.py, read without planning anything.

A case covers a rule when its `message` is a fragment of one literal part of the
rule's message (the text between `${...}` interpolations) and its file's
`HARNESS.source` is the folder that holds the rule. So:

- a rule without a case fails `test_every_rule_has_a_bad_input_case`;
- a case whose message no rule holds any more (renamed or removed rule) fails
  `test_every_case_expects_a_message_a_rule_gives`;
- a case whose fragment fits two different rules of its own folder is ambiguous and
  fails `test_case_messages_pick_one_rule_of_their_folder`.

How to add a rule and its cases (e.g. a new variable `alarm_period` of
modules/ecs-service):

1. Add the `validation` (or `precondition`) with a message that names the variable,
   states the rule and gives an example: "alarm_period must be a whole number of
   seconds from 10 to 86400, e.g. 60."
2. In tests/unit/test_ecs_service_bad_input.py add to `CASES`, one per side of the
   rule, plus the edges as good values:
       BadInput("alarm-period-low", {"alarm_period": 9}, "alarm_period must be a whole"),
       BadInput("alarm-period-high", {"alarm_period": 86401}, "alarm_period must be a whole"),
       BadInput("alarm-period-edges", {"alarm_period": 10}, None),
   The fragment is literal text of the message (not across a `${...}`).
   Every case of every file is planned together, each as its own module instance of
   the plan inventory (tests/inventory.py).
3. A rule of a new folder needs a new tests/unit/test_<folder>_bad_input.py with a
   `HARNESS = Harness(source="<folder>", base={...required inputs...})`, `CASES`,
   `INVENTORY = [Failures("<folder>", HARNESS, CASES)]` and an `errors` fixture
   returning `inventory.errors("<folder>")` (copy an existing file).
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from lmsops.toolchain import REPO_ROOT

RULE_DIRS = sorted(
    [
        *(p.parent for p in REPO_ROOT.glob("modules/*/versions.tf")),
        *(p.parent for p in REPO_ROOT.glob("live/_stacks/*/versions.tf")),
        REPO_ROOT / "bootstrap",
    ]
)
CASE_FILES = sorted((REPO_ROOT / "tests/unit").glob("test_*_bad_input.py"))
BLOCK = re.compile(r"\b(validation|precondition|postcondition)\s*\{")
MESSAGE = re.compile(r"\berror_message\s*=\s*\"")


@dataclass(frozen=True)
class Rule:
    folder: str
    kind: str
    literal_parts: tuple[str, ...]
    where: str

    def holds(self, fragment: str) -> bool:
        return any(fragment in part for part in self.literal_parts)


@dataclass(frozen=True)
class Case:
    folder: str
    id: str
    message: str
    where: str


def hcl_string_parts(text: str, start: int) -> tuple[str, ...]:
    """Literal parts of the HCL string whose opening quote is at START."""
    parts, current, i = [], [], start + 1
    while text[i] != '"':
        if text[i] == "\\":
            current.append({"n": "\n", "t": "\t"}.get(text[i + 1], text[i + 1]))
            i += 2
        elif text[i] in "$%" and text[i + 1] == "{":
            parts.append("".join(current))
            current = []
            i = skip_template(text, i + 2)
        else:
            current.append(text[i])
            i += 1
    parts.append("".join(current))
    return tuple(part for part in parts if part)


def skip_template(text: str, i: int) -> int:
    """Index after the `}` closing a template sequence whose body starts at I."""
    depth, quoted = 1, False
    while depth:
        char = text[i]
        if quoted:
            if char == "\\":
                i += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        i += 1
    return i


def rules_in(folder: Path) -> list[Rule]:
    found = []
    for tf in sorted(folder.glob("*.tf")):
        text = tf.read_text()
        for match in MESSAGE.finditer(text):
            blocks = BLOCK.findall(text[: match.start()])
            line = text.count("\n", 0, match.start()) + 1
            found.append(
                Rule(
                    folder=str(folder.relative_to(REPO_ROOT)),
                    kind=blocks[-1] if blocks else "?",
                    literal_parts=hcl_string_parts(text, match.end() - 1),
                    where=f"{tf.relative_to(REPO_ROOT)}:{line}",
                )
            )
    return found


def load_cases(path: Path) -> list[Case]:
    spec = importlib.util.spec_from_file_location(f"bad_input_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folder = module.HARNESS.source
    return [
        Case(folder, case.id, case.message, f"{path.name}::{case.id}")
        for case in module.CASES
        if case.message is not None
    ]


RULES = [rule for folder in RULE_DIRS for rule in rules_in(folder) if rule.kind != "postcondition"]
CASES = [case for path in CASE_FILES for case in load_cases(path)]


def uncovered(rules: list[Rule], cases: list[Case]) -> list[str]:
    return [
        rule.where
        for rule in rules
        if not any(case.folder == rule.folder and rule.holds(case.message) for case in cases)
    ]


def test_rules_and_cases_are_found():
    assert len(RULES) > 100, "the rule scan found too few error_message strings"
    assert {rule.kind for rule in RULES} == {"validation", "precondition"}
    assert {case.folder for case in CASES} == {
        str(folder.relative_to(REPO_ROOT)) for folder in RULE_DIRS
    }


def test_every_rule_has_a_bad_input_case():
    missing = uncovered(RULES, CASES)
    assert not missing, "rules no bad-input case produces (see this file's docstring):\n" + (
        "\n".join(missing)
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.where)
def test_every_case_expects_a_message_a_rule_gives(case):
    assert any(rule.holds(case.message) for rule in RULES), (
        f"{case.where}: no validation or precondition says {case.message!r}"
    )


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.where)
def test_case_messages_pick_one_rule_of_their_folder(case):
    own = {rule.literal_parts for rule in RULES if rule.folder == case.folder}
    matching = [parts for parts in own if any(case.message in part for part in parts)]
    assert len(matching) <= 1, f"{case.where}: {case.message!r} fits {len(matching)} rules"


def test_every_rule_message_gives_an_example():
    without = [
        rule.where
        for rule in RULES
        if not any(hint in " ".join(rule.literal_parts) for hint in ("e.g. ", "such as "))
    ]
    assert not without, "messages without an example of a good value (e.g. ...):\n" + (
        "\n".join(without)
    )


def test_precondition_messages_name_an_input_of_their_folder():
    for rule in RULES:
        if rule.kind != "precondition":
            continue
        folder = REPO_ROOT / rule.folder
        declared = {
            name
            for tf in folder.glob("*.tf")
            for name in re.findall(r'^variable "(\w+)"', tf.read_text(), re.M)
        }
        text = " ".join(rule.literal_parts)
        assert any(re.search(rf"\b{name}\b", text) for name in declared), (
            f"{rule.where}: the message names none of {sorted(declared)}"
        )


def test_coverage_check_notices_a_rule_without_a_case():
    rule = Rule("modules/x", "validation", ("size must be from 1 to 9, e.g. 3.",), "x.tf:1")
    other = Rule("modules/x", "validation", ("name must be ", " long"), "x.tf:5")
    cases = [Case("modules/x", "size-low", "size must be from 1 to 9", "t.py::size-low")]
    assert uncovered([rule, other], cases) == ["x.tf:5"]
    assert uncovered([rule], [Case("modules/y", "c", "size must be", "t.py::c")]) == ["x.tf:1"]


def test_string_parts_skip_interpolations_and_unescape():
    text = 'error_message = "a ${join(", ", [var.x])} b \\"q\\" ${var.y}."'
    assert hcl_string_parts(text, text.index('"')) == ("a ", ' b "q" ', ".")
