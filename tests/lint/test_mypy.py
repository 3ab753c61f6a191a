"""mypy on lmsops/ (what users run) with the [tool.mypy] settings of pyproject.toml."""

import subprocess
import sys

from lmsops import toolchain


def test_mypy_finds_no_type_errors_in_lmsops():
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "lmsops"],
        cwd=toolchain.REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success: no issues found" in proc.stdout
