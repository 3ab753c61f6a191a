"""tools/mutation/mutations.py stays applicable: `tox -e mutation` is not part of `make test`,
so an edit of a module that removes a mutation's text would otherwise go unnoticed until the
next mutation run stops on it."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def load_mutations() -> tuple:
    """tools/mutation/mutations.py, loaded by path (tools/ is not a package)."""
    spec = importlib.util.spec_from_file_location(
        "mutation_list", REPO / "tools" / "mutation" / "mutations.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through it
    spec.loader.exec_module(module)
    return module.MUTATIONS


MUTATIONS = load_mutations()


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.name for m in MUTATIONS])
def test_each_mutation_applies_once_and_names_existing_tests(mutation):
    text = (REPO / mutation.path).read_text()
    assert text.count(mutation.old) == 1, f"{mutation.path} must hold {mutation.old!r} once"
    assert mutation.old != mutation.new
    files = [arg.split("::")[0] for arg in mutation.tests if arg.startswith("tests/")]
    assert files, "a mutation names the test files meant to catch it"
    assert all((REPO / f).is_file() for f in files), files


def test_mutation_names_are_unique():
    names = [m.name for m in MUTATIONS]
    assert sorted({n for n in names if names.count(n) > 1}) == []


def test_every_reviewed_equivalent_mutant_says_what_it_was_reviewed_for_and_why():
    """tools/mutation/equivalent.toml parses (a mutant reviewed twice is a TOML error)."""
    text = (REPO / "tools" / "mutation" / "equivalent.toml").read_text()
    reviewed = tomllib.loads(text)["mutant"]
    assert reviewed
    for name, entry in reviewed.items():
        assert name.startswith("lmsops."), name
        assert set(entry) == {"mutation", "reason"}, name
        assert entry["reason"].strip(), name
