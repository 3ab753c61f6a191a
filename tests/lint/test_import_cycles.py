"""No import cycles in lmsops/ or bench/: every import counts, at module top or in a function."""

from pathlib import Path

import pytest
from import_graph import cycles, import_graph

from lmsops import toolchain

PACKAGES = ("lmsops", "bench")


def described(found: list[list[str]]) -> str:
    return "import cycles:\n" + "\n".join("  " + " -> ".join(cycle) for cycle in found)


@pytest.mark.parametrize("package", PACKAGES)
def test_package_has_no_import_cycle(package):
    graph = import_graph(toolchain.REPO_ROOT / package)
    assert len(graph) > 3, f"{package}: no modules found"
    found = cycles(graph)
    assert not found, described(found)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pkg"


def test_a_cycle_through_an_import_inside_a_function_is_named(tmp_path):
    package = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import b\n",
            "pkg/b.py": "def later():\n    from pkg.c import thing\n",
            "pkg/c.py": "import os\nimport pkg.a\nthing = 1\n",
            "pkg/d.py": "from pkg import a\n",  # imports into the cycle, not part of it
        },
    )
    found = cycles(import_graph(package))
    assert found == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]
    assert "pkg.a -> pkg.b -> pkg.c -> pkg.a" in described(found)


def test_relative_imports_are_resolved(tmp_path):
    package = write(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/sub/__init__.py": "from .inner import value\n",
            "pkg/sub/inner.py": "from .. import top\nvalue = 1\n",
            "pkg/top.py": "from pkg.sub import value\n",
        },
    )
    assert cycles(import_graph(package)) == [["pkg.sub", "pkg.sub.inner", "pkg.top", "pkg.sub"]]


def test_a_package_whose_imports_go_one_way_passes(tmp_path):
    package = write(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg.cli import main\n",
            "pkg/cli.py": "from pkg import core\nfrom pkg.core import helper\n",
            "pkg/core.py": "import json\n\ndef helper():\n    from pkg import leaf\n",
            "pkg/leaf.py": "",
        },
    )
    graph = import_graph(package)
    assert graph["pkg.cli"] == {"pkg.core"}
    assert graph["pkg.core"] == {"pkg.leaf"}
    assert cycles(graph) == []
