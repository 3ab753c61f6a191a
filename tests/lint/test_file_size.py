"""No Python file in lmsops/ is over 400 lines: a longer one holds more than one concern."""

from lmsops import toolchain

MAX_LINES = 400
LMSOPS = toolchain.REPO_ROOT / "lmsops"


def line_counts() -> dict[str, int]:
    return {
        str(path.relative_to(toolchain.REPO_ROOT)): len(path.read_text().splitlines())
        for path in sorted(LMSOPS.rglob("*.py"))
    }


def test_no_lmsops_file_is_over_the_limit():
    counts = line_counts()
    assert len(counts) > 10, "no lmsops files found"
    over = {path: n for path, n in counts.items() if n > MAX_LINES}
    assert not over, f"files over {MAX_LINES} lines (split them by concern): {over}"
