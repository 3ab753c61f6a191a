"""Issue 11: independent live roots are applied side by side, their output kept apart.

Terraform is replaced by a script of JSON UI lines per root (toolchain.run_streaming
monkeypatched), so what is checked is lmsops' own part: both roots run at the same
time, every progress line and log line names its root, a failing root is named
with Terraform's error while the other one still runs to its end, and `lmsops up`
then exits non-zero naming the root and the command to run once it is fixed.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import threading
from pathlib import Path

import pytest

from lmsops import environment, toolchain, up
from lmsops.preflight_env import make_command
from lmsops.terraform_progress import Reporter

BACKEND, FRONTEND = "live/dev/backend", "live/dev/frontend"


def ui(kind: str, address: str = "", **extra) -> str:
    message = {"type": kind, "@message": f"{address}: {kind}", **extra}
    if kind.startswith("apply_"):
        message["hook"] = {"resource": {"addr": address}, "action": "create"}
    if kind == "planned_change":
        message["change"] = {"resource": {"addr": address}, "action": "create"}
    return json.dumps(message) + "\n"


def error(summary: str) -> str:
    diagnostic = {"severity": "error", "summary": summary, "detail": "the emulator said no"}
    return json.dumps({"type": "diagnostic", "@message": summary, "diagnostic": diagnostic}) + "\n"


class FakeRoot:
    """A root whose Terraform prints SCRIPT's lines; apply fails when FAIL is set."""

    def __init__(self, path: Path, address: str, fail: str = ""):
        self.path, self.env = path, {}
        self.address, self.fail = address, fail
        self.outputs_read = False

    def init(self, backend_config=None, reporter=None, label="", **_):
        reporter.run(
            ["init", "-no-color", f"-backend-config={backend_config}"], self.path, {}, label
        )

    def apply(self, reporter=None, label="", **_):
        reporter.run(["apply", "-auto-approve", "-json"], self.path, {}, label)

    def outputs(self) -> dict:
        self.outputs_read = True
        return {"name": self.address}


class FakeTerraform:
    """Stands for toolchain.run_streaming: each root's apply waits for the other's to start."""

    def __init__(self, roots: dict[Path, FakeRoot]):
        self.roots = roots
        self.both_applying = threading.Barrier(len(roots), timeout=10)

    def __call__(self, args, cwd, env, on_line, *, on_tick=lambda: None, **_):
        root = self.roots[Path(cwd)]
        if args[0] == "init":
            on_line("Initializing the backend...\n")
            return subprocess.CompletedProcess(args, 0, "", "")
        on_line(ui("planned_change", root.address))
        on_line(ui("apply_start", root.address))
        # Sequential applies never get past this: the first waits for the second to start.
        self.both_applying.wait()
        on_tick()
        if root.fail:
            on_line(error(root.fail))
            return subprocess.CompletedProcess(args, 1, "", "")
        on_line(ui("apply_complete", root.address))
        return subprocess.CompletedProcess(args, 0, "", "")


@pytest.fixture
def live(tmp_path, monkeypatch):
    def make(fail_backend: str = "", fail_frontend: str = "") -> dict[str, FakeRoot]:
        roots = {
            BACKEND: FakeRoot(tmp_path / "backend", "module.alb.aws_lb.this", fail_backend),
            FRONTEND: FakeRoot(tmp_path / "frontend", "aws_s3_bucket.site", fail_frontend),
        }
        monkeypatch.setattr(
            toolchain, "run_streaming", FakeTerraform({r.path: r for r in roots.values()})
        )
        return roots

    return make


def reporter(tmp_path) -> tuple[Reporter, io.StringIO]:
    out = io.StringIO()
    return Reporter(tmp_path / "up.log", stream=out), out


def test_both_roots_apply_at_the_same_time_and_every_line_names_its_root(live, tmp_path):
    roots = live()
    shown, out = reporter(tmp_path)
    outputs = environment.apply_live_roots(roots, tmp_path / "backend.tfbackend", shown)
    assert outputs == {
        BACKEND: {"name": "module.alb.aws_lb.this"},
        FRONTEND: {"name": "aws_s3_bucket.site"},
    }
    lines = out.getvalue().splitlines()
    assert lines, "no progress shown"
    for line in lines:
        assert line.startswith((f"{BACKEND}: ", f"{FRONTEND}: ")), line
    assert f"{BACKEND}: [1/1] module.alb.aws_lb.this: apply_complete" in lines
    assert f"{FRONTEND}: [1/1] aws_s3_bucket.site: apply_complete" in lines
    # The shared log: every line Terraform printed is tagged with its root.
    logged = [line for line in (tmp_path / "up.log").read_text().splitlines() if line.strip()]
    assert any(line.startswith(f"[{BACKEND}] $ terraform apply") for line in logged)
    assert f"[{FRONTEND}] Initializing the backend..." in logged
    assert all(line.startswith((f"[{BACKEND}] ", f"[{FRONTEND}] ")) for line in logged), logged


def test_verbose_output_of_side_by_side_roots_names_its_root_too(live, tmp_path):
    roots = live()
    out = io.StringIO()
    shown = Reporter(tmp_path / "up.log", verbose=True, stream=out)
    environment.apply_live_roots(roots, tmp_path / "backend.tfbackend", shown)
    lines = out.getvalue().splitlines()
    assert f"{FRONTEND}: Initializing the backend..." in lines
    assert f"{BACKEND}: module.alb.aws_lb.this: apply_complete" in lines
    assert all(line.startswith((f"{BACKEND}: ", f"{FRONTEND}: ")) for line in lines), lines


def test_a_failing_root_is_named_with_its_error_and_the_other_still_finishes(live, tmp_path):
    roots = live(fail_backend="creating ELBv2 Load Balancer: ValidationError")
    shown, _ = reporter(tmp_path)
    with pytest.raises(environment.LiveApplyFailed) as caught:
        environment.apply_live_roots(roots, tmp_path / "backend.tfbackend", shown)
    failed = caught.value
    assert list(failed.failures) == [BACKEND]
    assert failed.outputs == {FRONTEND: {"name": "aws_s3_bucket.site"}}
    assert roots[FRONTEND].outputs_read and not roots[BACKEND].outputs_read
    text = str(failed)
    assert text.splitlines()[0] == f"{BACKEND} failed; {FRONTEND} applied."
    assert f"{BACKEND}: terraform apply -auto-approve -json failed (exit 1)" in text
    assert "Error: creating ELBv2 Load Balancer: ValidationError" in text
    assert "the emulator said no" in text


def test_both_failing_are_both_named(live, tmp_path):
    roots = live(fail_backend="backend broke", fail_frontend="frontend broke")
    shown, _ = reporter(tmp_path)
    with pytest.raises(environment.LiveApplyFailed) as caught:
        environment.apply_live_roots(roots, tmp_path / "backend.tfbackend", shown)
    assert list(caught.value.failures) == [BACKEND, FRONTEND]
    assert caught.value.outputs == {}
    assert str(caught.value).splitlines()[0] == f"{BACKEND}, {FRONTEND} failed."
    assert "Error: backend broke" in str(caught.value)
    assert "Error: frontend broke" in str(caught.value)


def test_a_bug_in_one_root_is_raised_as_itself_after_the_other_ends(monkeypatch, tmp_path):
    finished = []

    def apply_live(root, backend_config, reporter=None, label=""):
        if label == BACKEND:
            raise KeyError("bug")
        finished.append(label)
        return {}

    monkeypatch.setattr(environment, "apply_live", apply_live)
    with pytest.raises(KeyError):
        environment.apply_live_roots({BACKEND: None, FRONTEND: None}, tmp_path / "b")
    assert finished == [FRONTEND]


def test_one_root_alone_keeps_the_reporter_as_it_is(monkeypatch, tmp_path):
    seen = []

    def apply_live(root, backend_config, reporter=None, label=""):
        seen.append(reporter)
        return {"x": 1}

    monkeypatch.setattr(environment, "apply_live", apply_live)
    shown, _ = reporter(tmp_path)
    assert environment.apply_live_roots({FRONTEND: None}, tmp_path / "b", shown) == {
        FRONTEND: {"x": 1}
    }
    assert seen == [shown] and not shown.labelled


class FakeEmulator:
    def __init__(self, _state_dir):
        pass

    def status(self):
        return "running"


class FakeInfo:
    endpoint = "https://127.0.0.1:5443"
    ca_bundle = "/emulator/ca.pem"

    def env(self) -> dict[str, str]:
        return {}


def test_lmsops_up_fails_naming_the_root_and_the_command_to_run_once_fixed(
    live, tmp_path, monkeypatch, capsys
):
    roots = live(fail_frontend="creating S3 Bucket lifecycle: InvalidRequest")
    by_path = {r.path: r for r in roots.values()}
    monkeypatch.setenv("LMSOPS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv(environment.CHECKOUT_ENV, "")  # up.run sets it; restored after
    monkeypatch.setattr(up, "Emulator", FakeEmulator)
    monkeypatch.setattr(up, "start_or_reuse", lambda emulator, port: (FakeInfo(), False))
    monkeypatch.setattr(up.roots, "sync_checkout", lambda checkout: checkout)
    monkeypatch.setattr(
        environment,
        "bootstrap_checkout",
        lambda checkout, reporter: environment.Bootstrapped(
            checkout, tmp_path / "b.tfstate", tmp_path / "backend.s3.tfbackend", {}
        ),
    )
    monkeypatch.setattr(environment, "live_root_path", lambda repo, env, c: tmp_path / c)
    monkeypatch.setattr(up.roots, "Root", lambda path: by_path[Path(path)])
    args = argparse.Namespace(env="dev", component=None, no_publish=False, verbose=False, port=None)
    with pytest.raises(up.StepFailed) as caught:
        up.run(args)
    assert caught.value.exit_code == 1
    text = str(caught.value)
    assert text.startswith(
        f"`lmsops up` failed at {FRONTEND}:\n{FRONTEND} failed; {BACKEND} applied."
    )
    assert "Error: creating S3 Bucket lifecycle: InvalidRequest" in text
    assert f"run `{make_command('up')}` again once fixed" in text
    assert roots[BACKEND].outputs_read  # the backend ran to its end
    out = capsys.readouterr().out
    assert f"{BACKEND}: [1/1] module.alb.aws_lb.this: apply_complete" in out
