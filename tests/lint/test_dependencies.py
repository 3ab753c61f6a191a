"""Every third-party import is declared in pyproject.toml, so a clean install has it.

lmsops/ is what users install: its imports must be in [project.dependencies]. tests/,
tools/ and bench/ run in the test environments, which install the extras as well.
"""

import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest
from import_graph import imports_of, python_files

from lmsops import toolchain

REPO = toolchain.REPO_ROOT
TESTS = REPO / "tests"
# Importable by name: the repository root's packages (python -m bench, pytest pythonpath)
# and tests/ (pytest pythonpath: conftest helpers such as plan_helpers).
FIRST_PARTY_ROOTS = (REPO, TESTS)


def canonical(name: str) -> str:
    """PEP 503 normalised name: PyYAML -> pyyaml, mypy_extensions -> mypy-extensions."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    """ "moto[server]>=5" -> "moto"."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, f"cannot read a distribution name in {requirement!r}"
    return canonical(match.group(1))


def declared() -> tuple[set[str], set[str]]:
    """(runtime distributions, every extra's distributions), canonical names."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    runtime = {requirement_name(r) for r in project["dependencies"]}
    extras = {
        requirement_name(r)
        for requirements in project.get("optional-dependencies", {}).values()
        for r in requirements
    }
    return runtime, extras


def is_local(top: str, path: Path, roots: tuple[Path, ...]) -> bool:
    """TOP is a module or package beside PATH or in one of ROOTS."""
    return any(
        (folder / f"{top}.py").is_file() or (folder / top / "__init__.py").is_file()
        for folder in (path.parent, *roots)
    )


def undeclared(
    folder: Path,
    allowed: set[str],
    roots: tuple[Path, ...],
    first_party: set[str],
    base: Path = REPO,
) -> list[str]:
    """`path:line: import (its distributions)` per third-party import in FOLDER not in ALLOWED.

    An import inside a function counts as much as one at module top.
    """
    distributions = packages_distributions()
    problems = []
    for path in python_files(folder):
        for module, _names, line in imports_of(path, base):
            top = module.split(".")[0]
            if not top or top in sys.stdlib_module_names or top in first_party:
                continue
            if is_local(top, path, roots):
                continue
            # An extra this environment did not install (mutation's mutmut in the test
            # env) is found by its import name, which is its distribution's name.
            installed = {canonical(d) for d in distributions.get(top, [])}
            owners = installed or {canonical(top)}
            if not owners & allowed:
                where = path.relative_to(base)
                found = ", ".join(sorted(installed)) or "no installed distribution"
                problems.append(f"{where}:{line}: {module} ({found})")
    return problems


def test_runtime_imports_are_runtime_dependencies():
    runtime, _ = declared()
    # lmsops may import only itself: not bench/, tools/ or the test helpers.
    problems = undeclared(REPO / "lmsops", runtime, roots=(), first_party={"lmsops"})
    assert not problems, (
        "third-party imports in lmsops/ missing from [project.dependencies] (or imports of "
        "code outside lmsops/):\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("folder", ["tests", "tools", "bench"])
def test_tooling_imports_are_declared(folder):
    runtime, extras = declared()
    problems = undeclared(
        REPO / folder, runtime | extras, roots=FIRST_PARTY_ROOTS, first_party={"lmsops"}
    )
    assert not problems, (
        f"third-party imports in {folder}/ missing from pyproject.toml's dependencies and "
        "extras:\n" + "\n".join(problems)
    )


def test_every_declared_distribution_is_pinned():
    runtime, extras = declared()
    constraints = (REPO / "requirements" / "constraints.txt").read_text().splitlines()
    pinned = {canonical(line.split("==")[0]) for line in constraints if "==" in line}
    assert sorted((runtime | extras) - pinned) == [], "add them to requirements/constraints.txt"


def test_an_undeclared_import_is_reported(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "sibling.py").write_text("import boto3\n")
    (package / "uses.py").write_text(
        "import json\nfrom . import sibling\nimport pkg.sibling\n\n"
        "def later():\n    import pytest\n    import no_such_module_anywhere\n"
    )
    problems = undeclared(package, {"boto3"}, roots=(), first_party={"pkg"}, base=tmp_path)
    assert problems == [
        "pkg/uses.py:6: pytest (pytest)",
        "pkg/uses.py:7: no_such_module_anywhere (no installed distribution)",
    ]
