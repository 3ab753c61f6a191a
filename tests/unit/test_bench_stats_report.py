"""Benchmark statistics, markdown rendering and appending to the results page."""

import pytest

from bench import report, stats
from bench.report import SectionResult, Table


def test_summary_of_an_odd_and_an_even_number_of_runs():
    assert stats.summarize([3.0, 1.0, 2.0]) == stats.Summary(1.0, 2.0, 3.0, 3)
    assert stats.summarize([4.0, 1.0, 2.0, 3.0]).median == 2.5


def test_summary_of_no_runs_is_an_error():
    with pytest.raises(ValueError, match="empty"):
        stats.summarize([])


def test_durations_are_rounded_to_what_the_eye_needs():
    assert stats.seconds(0.4242) == "0.42 s"
    assert stats.seconds(3.14) == "3.1 s"
    assert stats.seconds(73.4) == "73 s"
    assert stats.percent(0.826) == "83 %"


def test_table_renders_header_separator_and_escaped_cells():
    text = report.render_table(Table(["a", "b"], [["x|y", "1\n2"]]))
    assert text.splitlines() == ["| a | b |", "|---|---|", "| x\\|y | 1 2 |"]


def test_a_row_of_the_wrong_width_is_refused():
    with pytest.raises(ValueError, match="2 columns"):
        report.render_table(Table(["a", "b"], [["only one"]]))


def test_a_section_that_did_not_run_says_why():
    text = report.render_section(SectionResult("3. Lifecycle", not_run="no emulator"))
    assert text.startswith("### 3. Lifecycle\n\nnot run: no emulator")


def test_notes_follow_the_tables_as_a_list():
    result = SectionResult("T", [Table(["h"], [["v"]])], ["first", "second"])
    text = report.render_section(result)
    assert text.index("| v |") < text.index("- first\n- second")


def test_run_has_machine_table_then_sections():
    text = report.render_run("Run X", {"cores": "2"}, [SectionResult("S", not_run="r")])
    assert text.index("## Run X") < text.index("| cores | 2 |") < text.index("### S")


def test_append_creates_the_page_with_a_header_then_keeps_earlier_runs(tmp_path):
    doc = tmp_path / "docs" / "benchmarks.md"
    report.append_run(doc, "## Run 1\n")
    report.append_run(doc, "## Run 2\n")
    text = doc.read_text()
    assert text.startswith("# Benchmarks")
    assert text.index("## Run 1") < text.index("## Run 2")


def test_headlines_gather_every_sections_key_figures_and_what_did_not_run():
    sections = [
        SectionResult("1. Floor", headlines=["Floor: 2.3 s median."]),
        SectionResult("5. Scale", not_run="no backend root"),
    ]
    text = report.render_run("Run", {"cores": "2"}, sections)
    assert "Headlines:\n\n- Floor: 2.3 s median.\n- 5. Scale: not run (no backend root)" in text
    assert text.index("Headlines") < text.index("### 1. Floor")
