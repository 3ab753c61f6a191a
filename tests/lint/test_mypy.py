"""mypy on lmsops/ (what users run) and bench/ (the benchmark harness) with the [tool.mypy]
settings of pyproject.toml, in one run: both import lmsops, so it is analysed once."""

import subprocess
import sys

from lmsops import toolchain

CHECKED = ("lmsops", "bench")


def test_mypy_finds_no_type_errors_in_lmsops_or_bench():
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", *CHECKED],
        cwd=toolchain.REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success: no issues found" in proc.stdout
