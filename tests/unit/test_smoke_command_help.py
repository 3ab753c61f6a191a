"""`lmsops smoke` help a person reads, and what its options default to.

Each help line is asserted as written (whitespace folded: argparse wraps at the terminal
width), except the description, whose component table must keep its own layout.
"""

from __future__ import annotations

import pytest
from help_text import without_paths

from lmsops import environment, smoke
from lmsops.cli import main


def help_text(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def folded(text: str) -> str:
    return " ".join(text.split())


def test_smoke_help_documents_every_option(capsys):
    text = folded(help_text(capsys, "smoke"))
    for line in (
        "usage: lmsops smoke [-h] [--env {dev,prod}] [--outputs-json OUTPUTS_JSON | "
        "--tf-data-dir TF_DATA_DIR] [--repo REPO] [--output {text,json}] {backend,frontend}",
        "positional arguments: {backend,frontend} what to check",
        "--env {dev,prod} environment whose live root to check (default: dev)",
        "--outputs-json OUTPUTS_JSON read the outputs from this file (`terraform output -json` "
        "format or name: value)",
        "--tf-data-dir TF_DATA_DIR TF_DATA_DIR the live root was initialised with, if not its "
        "own .terraform/",
        "--repo REPO checkout holding live/ (default: the emulator's checkout once its "
        "environment is loaded, else this repository)",
        "--output {text,json} text for people, json for CI (default: text)",
    ):
        assert line in text
    assert "XX" not in without_paths(text)


def test_smoke_description_keeps_its_component_table(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    lines = help_text(capsys, "smoke").splitlines()
    for line in (
        "  backend   listener -> target group -> ECS service, security groups, certificate,",
        "            scaling policy, ECR repository, logs",
        "  frontend  website bucket, its policy, anonymous reads of the index page",
    ):
        assert line in lines


def test_lmsops_help_lists_smoke_with_its_summary(capsys):
    text = folded(help_text(capsys))
    assert "smoke check a deployed component by following its wiring (ALB, ECS, DNS, ...)" in text


def test_smoke_reads_dev_and_prints_text_unless_told_otherwise(monkeypatch, capsys):
    asked = []

    def live_outputs(env_name, component, repo=None, data_dir=None, hint=""):
        asked.append((env_name, component, repo, data_dir))
        return {"bucket_name": "lms-dev-site"}

    monkeypatch.setattr(environment, "live_outputs", live_outputs)
    monkeypatch.setitem(smoke.TARGETS, "frontend", lambda _: [smoke.Check("bucket", True, "ok")])
    assert main(["smoke", "frontend"]) == 0
    assert asked == [("dev", "frontend", None, None)]
    assert capsys.readouterr().out == "PASS  bucket: ok\n1 passed, 0 failed\n"
    assert main(["smoke", "frontend", "--output", "text"]) == 0
    assert capsys.readouterr().out == "PASS  bucket: ok\n1 passed, 0 failed\n"


def test_outputs_file_and_data_dir_are_one_or_the_other(tmp_path, capsys):
    with pytest.raises(SystemExit) as exited:
        main(["smoke", "frontend", "--outputs-json", "o.json", "--tf-data-dir", str(tmp_path)])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err
