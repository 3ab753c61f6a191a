"""What `lmsops deploy` prints and exits with, and its guards, line by line.

lmsops.deploy.report, outcome, interrupts, guards and target: exact text, exit codes per
outcome and signal, and the refusals' wording (found by mutation testing).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal

import pytest

from lmsops.deploy import flow, guards, interrupts, report, target
from lmsops.deploy.outcome import DeployRequest, DeployResult
from lmsops.errors import UserError

NEW = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms:9"
OLD = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms:8"


def result(outcome: str, **fields) -> DeployResult:
    return DeployResult(outcome, "c", "s", "app", "img:1", OLD, OLD, **fields)


# --- exit codes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "outcome, sig, code",
    [
        ("succeeded", None, 0),
        ("dry-run", None, 0),
        ("refused", None, 2),
        ("interrupted", None, 130),
        ("interrupted", "SIGINT", 130),
        ("interrupted", "SIGTERM", 143),
        ("rolled-back", None, 1),
        ("failed", None, 1),
        ("superseded", None, 1),
    ],
)
def test_exit_code_per_outcome(outcome, sig, code):
    assert result(outcome, signal=sig).exit_code == code


def test_signal_names_and_codes():
    assert interrupts.signal_name(interrupts.Terminated()) == "SIGTERM"
    assert interrupts.signal_name(KeyboardInterrupt()) == "SIGINT"
    assert interrupts.exit_code("SIGTERM") == 128 + signal.SIGTERM
    assert interrupts.exit_code("NOSUCHSIGNAL") == 128 + signal.SIGINT


def test_sigterm_raises_terminated_inside_the_block_only():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(interrupts.Terminated), interrupts.sigterm_raises():
        signal.raise_signal(signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) is before


# --- print_result ------------------------------------------------------------------------


def test_a_failed_deploy_prints_every_field_its_reason_alarms_and_diagnosis(capsys):
    failed = result(
        "rolled-back",
        new_task_definition=NEW,
        deployment_id="ecs-svc/1",
        rollback_deployment_id="ecs-svc/2",
        state="FAILED",
        reason="tasks failed",
        alarms=["alarm a is in ALARM: x"],
        diagnostics=["1 x crash"],
        events=["not shown: the diagnosis lists events"],
        duration_seconds=12.345,
        next_steps=["lmsops deploy status --wait"],
    )
    report.print_result(failed, "text")
    assert capsys.readouterr().out.splitlines() == [
        "rolled-back: s on c",
        "  image      img:1",
        f"  previous   {OLD}",
        f"  new        {NEW}",
        f"  from       {OLD}",
        "  deployment ecs-svc/1",
        "  rollback   ecs-svc/2",
        "  state      FAILED",
        "  duration   12.3 s",
        "  reason     tasks failed",
        "  alarm      alarm a is in ALARM: x",
        "  why        1 x crash",
        "  next       lmsops deploy status --wait",
    ]


def test_without_a_diagnosis_the_events_are_printed(capsys):
    report.print_result(result("failed", reason="r", events=["e1", "e2"]), "text")
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == ["  event      e1", "  event      e2"]
    assert "  reason     r" in out


def test_a_success_prints_no_reason_and_lists_deregistered(capsys):
    ok = result("succeeded", new_task_definition=NEW, reason="done", deregistered=[OLD])
    report.print_result(ok, "text")
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "succeeded: s on c",
        "  image      img:1",
        f"  previous   {OLD}",
        f"  new        {NEW}",
        f"  from       {OLD}",
        "  duration   0.0 s",
        f"  deregistered {OLD}",
    ]


def test_an_interrupted_deploy_names_its_signal(capsys):
    report.print_result(result("interrupted", signal="SIGTERM"), "text")
    assert capsys.readouterr().out.splitlines()[0] == "interrupted (SIGTERM): s on c"


def test_a_dry_run_prints_the_diff_and_where_it_starts(capsys):
    report.print_result(result("dry-run", diff="--- a\n+++ b\n", source_reason="why"), "text")
    assert capsys.readouterr().out == (
        f"--- a\n+++ b\n\nstarts from {OLD}: why\n"
        f"dry run: nothing registered; the service runs {OLD}\n"
    )
    report.print_result(result("dry-run", source_reason="why"), "text")
    assert capsys.readouterr().out.startswith(
        "no change: the rendered revision equals its source\nstarts from"
    )


def test_json_result_carries_the_exit_code(capsys):
    report.print_result(result("refused"), "json")
    assert json.loads(capsys.readouterr().out)["exit_code"] == 2


@pytest.mark.parametrize("output", ["text", "json"])
def test_an_early_interrupt_says_nothing_changed(capsys, output):
    code = report.print_early_interrupt(
        DeployRequest("c", "s", "img"), interrupts.Terminated(), output
    )
    assert code == 143
    out = capsys.readouterr().out
    if output == "text":
        assert out == "interrupted (SIGTERM) before anything was registered: nothing changed\n"
    else:
        assert json.loads(out) == {
            "outcome": "interrupted",
            "signal": "SIGTERM",
            "cluster": "c",
            "service": "s",
            "state": "nothing registered, service not updated",
            "exit_code": 143,
        }


def test_a_refusal_with_json_output_prints_one_object_and_goes_on(capsys):
    with pytest.raises(UserError), report.refusals_as_json("json", {"env": None, "cluster": "c"}):
        raise UserError("no such service")
    assert json.loads(capsys.readouterr().out) == {
        "cluster": "c",
        "outcome": "refused",
        "exit_code": 2,
        "reason": "no such service",
    }
    with pytest.raises(UserError), report.refusals_as_json("text", {}):
        raise UserError("quiet")
    assert capsys.readouterr().out == ""


# --- guards -------------------------------------------------------------------------------


def test_primary_completed_rules():
    def svc(*deployments):
        return {"deployments": list(deployments)}

    primary = {"status": "PRIMARY"}
    assert guards.primary_completed(svc({**primary, "rolloutState": "COMPLETED"}))
    assert not guards.primary_completed(svc({**primary, "rolloutState": "IN_PROGRESS"}))
    assert guards.primary_completed(svc(primary))
    assert not guards.primary_completed(svc(primary, {"status": "ACTIVE"}))
    assert not guards.primary_completed(svc({"status": "ACTIVE", "rolloutState": "COMPLETED"}))


def test_a_deployment_in_progress_is_refused_with_how_to_wait_or_roll_back():
    began = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
    busy = {
        "serviceName": "s",
        "deployments": [
            {"id": "ecs-svc/0", "rolloutState": "COMPLETED"},
            {
                "id": "ecs-svc/1",
                "taskDefinition": NEW,
                "rolloutState": "IN_PROGRESS",
                "createdAt": began,
            },
        ],
    }
    with pytest.raises(UserError) as refused:
        guards.refuse_concurrent_deployment(busy, "c")
    assert str(refused.value) == (
        f"deployment ecs-svc/1 of {NEW} has been IN_PROGRESS on service s since "
        "2026-05-01T12:00:00+00:00; one deploy at a time: wait for it (lmsops deploy status "
        "--cluster c --service s --wait) or roll it back (lmsops deploy rollback --cluster c "
        "--service s --to <revision ARN>)"
    )
    busy["deployments"][1]["createdAt"] = None
    with pytest.raises(UserError, match="since unknown;"):
        guards.refuse_concurrent_deployment(busy, "c")
    busy["deployments"][1]["createdAt"] = "yesterday"
    with pytest.raises(UserError, match="since yesterday;"):
        guards.refuse_concurrent_deployment(busy, "c")
    guards.refuse_concurrent_deployment({"deployments": [{"rolloutState": "COMPLETED"}]}, "c")
    guards.refuse_concurrent_deployment({}, "c")


def test_only_the_ecs_deployment_controller_is_driven():
    guards.require_ecs_controller({})
    guards.require_ecs_controller({"deploymentController": {"type": "ECS"}})
    with pytest.raises(UserError) as refused:
        guards.require_ecs_controller(
            {"serviceName": "s", "deploymentController": {"type": "CODE_DEPLOY"}}
        )
    assert str(refused.value) == (
        "service s uses the CODE_DEPLOY deployment controller; lmsops deploy drives ECS "
        "rolling deployments only"
    )


# --- target -------------------------------------------------------------------------------


def ns(**values) -> argparse.Namespace:
    base = {"env": None, "cluster": None, "service": None, "repo": None, "tf_data_dir": None}
    return argparse.Namespace(**{**base, **values})


def test_target_flags_name_the_env_only_when_nothing_overrides_it():
    assert target.target_flags(ns(env="dev"), "c", "s") == "--env dev"
    assert target.target_flags(ns(env="dev", cluster="x"), "c", "s") == "--cluster c --service s"
    assert target.target_flags(ns(env="dev", service="x"), "c", "s") == "--cluster c --service s"
    assert target.target_flags(ns(), "c", "s") == "--cluster c --service s"
    assert target.known_target(ns(env="dev", cluster="c")) == {
        "env": "dev",
        "cluster": "c",
        "service": None,
    }


def test_explicit_cluster_and_service_need_no_outputs(monkeypatch):
    monkeypatch.setattr(target, "live_outputs", lambda *a: pytest.fail("no outputs read"))
    assert target.resolve_target(ns(cluster="c", service="s")) == ("c", "s", None)
    assert target.resolve_target(ns(cluster="c", service="s", container="w")) == ("c", "s", "w")
    for partial in (ns(cluster="c"), ns(service="s")):
        with pytest.raises(UserError, match=r"^give --env, or both --cluster and --service$"):
            target.resolve_target(partial)


def test_one_missing_output_is_named_alone(monkeypatch):
    monkeypatch.setattr(target, "live_outputs", lambda *a: {"cluster_name": "c"})
    with pytest.raises(UserError) as refused:
        target.resolve_target(ns(env="dev"))
    assert str(refused.value) == (
        "live/dev/backend has no output service_name; apply it first or pass --cluster and "
        "--service"
    )


def test_live_outputs_reads_the_backend_root(monkeypatch):
    seen = []
    monkeypatch.setattr(
        target.environment, "live_outputs", lambda *a, **k: seen.append((a, k)) or {"x": 1}
    )
    assert target.live_outputs("repo", "dev", "data") == {"x": 1}
    assert seen == [(("dev", "backend", "repo", "data"), {"hint": "pass --cluster and --service"})]


def test_flow_reexports_the_outcomes_the_report_reads():
    assert (flow.DRY_RUN, flow.REFUSED, flow.INTERRUPTED) == ("dry-run", "refused", "interrupted")


# --- JSON is indented and key-sorted, so CI logs diff cleanly ------------------------------


def as_json(value) -> str:
    return json.dumps(value, indent=2, sort_keys=True) + "\n"


def test_json_outputs_are_indented_and_sorted(capsys):
    deployed = result("failed", reason="r")
    report.print_result(deployed, "json")
    assert capsys.readouterr().out == as_json(deployed.as_dict())
    report.print_refusal(UserError("no"), {"cluster": "c", "service": None})
    assert capsys.readouterr().out == as_json(
        {"cluster": "c", "outcome": "refused", "exit_code": 2, "reason": "no"}
    )
    report.print_early_interrupt(DeployRequest("c", "s", "img"), KeyboardInterrupt(), "json")
    assert capsys.readouterr().out == as_json(
        {
            "outcome": "interrupted",
            "signal": "SIGINT",
            "cluster": "c",
            "service": "s",
            "state": "nothing registered, service not updated",
            "exit_code": 130,
        }
    )


def test_an_explicit_tf_data_dir_reaches_the_live_outputs(monkeypatch):
    seen = []
    monkeypatch.setattr(
        target,
        "live_outputs",
        lambda *a: seen.append(a) or {"cluster_name": "c", "service_name": "s"},
    )
    args = ns(env="dev", repo="repo", tf_data_dir="data")
    assert target.resolve_target(args) == ("c", "s", None)
    assert seen == [("repo", "dev", "data")]
