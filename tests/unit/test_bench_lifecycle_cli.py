"""Lifecycle table rows, re-plan change parsing and the bench command line."""

import argparse

import pytest

from bench import cli, lifecycle, tflog
from bench.lifecycle import PhaseRun
from lmsops import toolchain


def waiter(seconds, by_type):
    return tflog.WaiterReport(seconds, by_type, requests=3)


def test_phase_row_shows_waiter_share_and_the_rest():
    runs = [
        PhaseRun(80.0, waiter(60.0, {"aws_lb": 60.0}), "15 outputs"),
        PhaseRun(100.0, waiter(70.0, {"aws_lb": 61.0, "aws_route53_record": 30.0})),
    ]
    row = lifecycle.phase_row("live/dev/backend apply", runs)
    assert row[:5] == ["live/dev/backend apply", "2", "80 s", "90 s", "100 s"]
    assert row[5] == "65 s (72 %)"
    assert row[6] == "25 s"
    assert row[7] == "aws_lb 60 s"  # the run closest to the median, i.e. the first one


def test_phase_without_terraform_has_no_waiter_share():
    row = lifecycle.phase_row("publish sample site", [PhaseRun(0.5, None, "uploaded 6")])
    assert row[5:] == ["no Terraform", "0.50 s", "", "uploaded 6"]


def test_a_failed_phase_reports_why_and_no_times():
    row = lifecycle.phase_row("deploy a new image", [PhaseRun(0.0, None, "boom", failed=True)])
    assert row == ["deploy a new image", "0", "", "", "", "", "", "", "boom"]


def test_whole_cycle_row_only_counts_complete_cycles(tmp_path):
    def cycle(failed_phase=None):
        c = lifecycle.Cycle(tmp_path, tmp_path, tmp_path)
        for phase in lifecycle.PHASES:
            c.runs[phase] = PhaseRun(10.0, waiter(4.0, {}), failed=phase == failed_phase)
        return c

    table = lifecycle.phase_table([cycle(), cycle("deploy a new image")])
    total = table.rows[-1]
    assert total[0] == "**whole cycle**" and total[1] == "1"
    assert total[3] == "70 s"  # 7 phases of 10 s
    assert total[5] == "28 s (40 %)"
    assert total[-1] == "target < 220 s: met"


def test_changed_addresses_are_read_from_the_plan_text():
    text = """
  # module.service.aws_ecs_service.this will be updated in-place
  ~ resource "aws_ecs_service" "this" {
  # aws_s3_bucket.site must be replaced
"""
    assert lifecycle.changed_addresses(text) == [
        "module.service.aws_ecs_service.this",
        "aws_s3_bucket.site",
    ]


def test_provider_logging_goes_to_the_phase_file(tmp_path):
    env = lifecycle.logging_env(tmp_path / "x.log")
    assert env == {
        "TF_LOG_PROVIDER": "DEBUG",
        "TF_LOG_CORE": "OFF",
        "TF_LOG_PATH": str(tmp_path / "x.log"),
    }


def test_sections_are_run_in_document_order_whatever_the_order_asked():
    assert cli.parse_sections("scale, floor") == ["floor", "scale"]


def test_unknown_sections_and_bad_repeat_overrides_are_refused():
    with pytest.raises(argparse.ArgumentTypeError, match="unknown section"):
        cli.parse_sections("floor,speed")
    with pytest.raises(argparse.ArgumentTypeError, match="SECTION=N"):
        cli.parse_override("lifecycle=0")
    assert cli.parse_override("lifecycle=1") == ("lifecycle", 1)


def test_command_line_defaults_run_everything_three_times():
    args = cli.build_parser().parse_args([])
    assert args.section == list(cli.SECTIONS)
    assert args.repeat == 3
    assert args.repeat_for == []


def test_lifecycle_headline_gives_the_cycle_and_its_waiter_share(tmp_path):
    complete = lifecycle.Cycle(tmp_path, tmp_path, tmp_path)
    for phase in lifecycle.PHASES:
        complete.runs[phase] = PhaseRun(40.0, waiter(30.0, {}))
    [line] = lifecycle.headline([complete])
    assert line.startswith("Environment lifecycle on the emulator (start to destroy): 280 s median")
    assert "75 % of it in the AWS provider's waiters" in line
    assert lifecycle.headline([lifecycle.Cycle(tmp_path, tmp_path, tmp_path)]) == [
        "Environment lifecycle: no complete cycle out of 1."
    ]


def test_a_terraform_failure_is_reported_with_terraforms_reason():
    output = (
        "module.alb.aws_lb.this: Destroying...\n"
        "│ Error: deleting ELBv2 Target Group: TargetGroupNotFound\n"
    )
    exc = toolchain.TerraformError(("destroy", "-auto-approve"), 1, output)
    text = lifecycle.first_line(exc)
    assert text.startswith("terraform destroy: Error: deleting ELBv2 Target Group")
