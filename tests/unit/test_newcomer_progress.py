"""Issue 12, point 3: long Terraform runs show progress, and a failure shows the whole error.

Progress is built from Terraform's `-json` messages; a failed run raises with
Terraform's complete diagnostic (never cut mid-word) and the log holds the run.
"""

from __future__ import annotations

import io
import json

import pytest

from lmsops import roots, terraform_progress, toolchain, validate
from lmsops.terraform_progress import Reporter, Tracker, View


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def hook(kind: str, address: str, action: str = "create") -> dict:
    return {
        "type": kind,
        "@message": f"{address}: {kind}",
        "hook": {"resource": {"addr": address}, "action": action},
    }


def planned(address: str, action: str = "create") -> dict:
    return {"type": "planned_change", "change": {"resource": {"addr": address}, "action": action}}


def test_tracker_counts_and_names_the_slowest_resource_in_flight():
    clock = Clock()
    tracker = Tracker(clock=clock)
    for address in ("module.alb.aws_lb.this", "aws_s3_bucket.a", "aws_s3_bucket.b"):
        tracker.feed(planned(address))
    tracker.feed(planned("aws_s3_bucket.same", action="noop"))
    tracker.feed(hook("apply_start", "data.aws_route53_zone.main", action="read"))
    tracker.feed(hook("apply_complete", "data.aws_route53_zone.main", action="read"))
    tracker.feed(hook("apply_start", "module.alb.aws_lb.this"))
    clock.now += 5
    tracker.feed(hook("apply_start", "aws_s3_bucket.a"))
    tracker.feed(hook("apply_complete", "aws_s3_bucket.a"))
    clock.now += 40
    assert (tracker.planned, tracker.started, tracker.done) == (3, 2, 1)
    assert tracker.slowest() == "module.alb.aws_lb.this creating 45 s"


def test_plain_lines_report_completions_and_a_heartbeat_for_long_waits():
    clock = Clock()
    out = io.StringIO()
    view = View("dev/backend", Tracker(clock=clock), stream=out, bar=False)
    view.message(planned("module.alb.aws_lb.this"))
    view.message(hook("apply_start", "module.alb.aws_lb.this"))
    clock.now += terraform_progress.HEARTBEAT_SECONDS + 1
    view.tick()
    view.message(hook("apply_complete", "module.alb.aws_lb.this"))
    lines = out.getvalue().splitlines()
    assert lines[0] == "dev/backend: [0/1] still module.alb.aws_lb.this creating 16 s"
    assert lines[1] == "dev/backend: [1/1] module.alb.aws_lb.this: apply_complete"


def test_the_bar_shows_counts_and_the_slowest_resource_on_stdout_like_streams():
    clock = Clock()
    out = io.StringIO()
    view = View("dev/backend", Tracker(clock=clock), stream=out, bar=True)
    view.message(planned("module.alb.aws_lb.this"))
    view.message(planned("aws_s3_bucket.a"))
    view.message(hook("apply_start", "module.alb.aws_lb.this"))
    clock.now += 45
    view.tick()
    view.close()
    shown = out.getvalue()
    assert "dev/backend: 0/2" in shown
    assert "module.alb.aws_lb.this creating 45 s" in shown


def test_verbose_shows_terraforms_own_messages():
    out = io.StringIO()
    view = View("x", Tracker(), verbose=True, stream=out, bar=True)
    view.message(hook("apply_start", "aws_s3_bucket.a"))
    assert out.getvalue() == "aws_s3_bucket.a: apply_start\n"


def test_normal_progress_goes_to_stdout_not_stderr(tmp_path, capsys):
    # tox paints a command's stderr red: progress is not an error.
    Reporter(tmp_path / "run.log").say("lmsops up: bootstrap done")
    captured = capsys.readouterr()
    assert captured.out == "lmsops up: bootstrap done\n"
    assert captured.err == ""
    assert "bootstrap done" in (tmp_path / "run.log").read_text()


LONG_DETAIL = (
    "The state bucket acme-lms-tfstate-4f2a9c1e refused the request because its "
    "policy denies every request not made over TLS; check AWS_CA_BUNDLE and "
    "AWS_ENDPOINT_URL point at the emulator, then run the command again. " * 3
)


def test_diagnostics_are_rendered_whole():
    text = terraform_progress.diagnostic_text(
        {
            "severity": "error",
            "summary": "Access Denied",
            "detail": LONG_DETAIL,
            "address": "module.remote_state.aws_s3_bucket.state",
            "range": {"filename": "main.tf", "start": {"line": 12}},
        }
    )
    assert text.startswith("Error: Access Denied\n  at module.remote_state.aws_s3_bucket.state")
    assert "(main.tf line 12)" in text
    assert LONG_DETAIL.strip() in " ".join(text.split())


def test_a_failed_run_raises_terraforms_whole_error_and_logs_the_run(tmp_path, capsys):
    root_dir = tmp_path / "root"
    root_dir.mkdir()
    message = "x" * 30 + " " + LONG_DETAIL.strip()
    (root_dir / "main.tf").write_text(
        'variable "name" {\n  type    = string\n  default = "bad"\n'
        f'  validation {{\n    condition     = var.name == "good"\n'
        f"    error_message = {json.dumps(message)}\n  }}\n}}\n"
    )
    reporter = Reporter(tmp_path / "run.log")
    root = roots.Root(root_dir)
    root.init(reporter=reporter, label="probe")
    with pytest.raises(toolchain.TerraformError) as failure:
        root.apply(reporter=reporter, label="probe")
    shown = " ".join(str(failure.value).split())
    assert "Error: Invalid value for variable" in shown
    assert message in shown  # the whole message, not its first 200 characters
    log = (tmp_path / "run.log").read_text()
    assert "$ terraform apply" in log
    assert '"type":"diagnostic"' in log
    assert "probe: terraform init ..." in capsys.readouterr().out


def test_validate_shows_each_folder_as_it_finishes(monkeypatch, capsys):
    folders = roots.module_dirs()[:2]
    monkeypatch.setattr(validate, "targets", lambda: folders)
    seen_before_the_end: list[str] = []

    def fake_validate_one(_copy_root, rel):
        seen_before_the_end.append(capsys.readouterr().out)
        return validate.Result(str(rel), True, "")

    monkeypatch.setattr(validate, "validate_one", fake_validate_one)
    assert validate.run(None) == 0
    out = capsys.readouterr().out
    # The header is out before any folder is validated; each folder is reported with a count.
    assert "".join(seen_before_the_end).startswith("validate: 2 folders")
    assert "[1/2," in "".join(seen_before_the_end) + out
    assert "[2/2," in out


def test_a_planned_data_source_read_does_not_keep_the_count_short_of_its_total():
    out = io.StringIO()
    view = View("dev/backend", Tracker(clock=Clock()), stream=out, bar=False)
    view.message(planned("module.remote_state.data.aws_partition.current", action="read"))
    view.message(planned("aws_s3_bucket.a"))
    view.message(hook("apply_start", "module.remote_state.data.aws_partition.current", "read"))
    view.message(hook("apply_complete", "module.remote_state.data.aws_partition.current", "read"))
    view.message(hook("apply_start", "aws_s3_bucket.a"))
    view.message(hook("apply_complete", "aws_s3_bucket.a"))
    view.message({"type": "change_summary", "@message": "Apply complete! Resources: 1 added"})
    assert out.getvalue().splitlines()[-1] == (
        "dev/backend: [1/1] Apply complete! Resources: 1 added"
    )


LONG = "module.remote_state.data.aws_partition.current"


def test_a_narrow_bar_shortens_addresses_with_an_ellipsis_instead_of_cutting_words():
    out = io.StringIO()
    view = View("dev/backend", Tracker(clock=Clock()), stream=out, bar=True, columns=80)
    view.message(planned("aws_s3_bucket.a"))
    view.message(hook("apply_start", LONG, action="read"))
    view.close()
    last = out.getvalue().replace("\r", "\n").strip().splitlines()[-1]
    assert len(last) <= 80
    assert last.endswith("…data.aws_partition.current reading 0 s"), last


def test_plain_lines_are_never_shortened():
    clock = Clock()
    out = io.StringIO()
    view = View("dev/backend", Tracker(clock=clock), stream=out, bar=False, columns=30)
    view.message(planned("aws_s3_bucket.a"))
    view.message(hook("apply_start", LONG, action="read"))
    clock.now += terraform_progress.HEARTBEAT_SECONDS
    view.tick()
    assert out.getvalue().splitlines()[-1] == f"dev/backend: [0/1] still {LONG} reading 15 s"


@pytest.mark.parametrize(
    ("room", "short"),
    [
        (len(LONG), LONG),
        (30, "…data.aws_partition.current"),
        (20, "…current"),
        (5, "…rent"),
    ],
)
def test_addresses_are_cut_between_their_parts(room, short):
    assert terraform_progress.shorten_address(LONG, room) == short
    assert len(short) <= room
