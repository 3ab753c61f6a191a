"""What `lmsops deploy` and `deploy rollback` hand on from their flags, and what they print.

The deploy flow and the rollback are replaced by fakes that record how they were built
and what they were asked, so each flag is followed from the command line to its consumer.
The last tests keep the real Deployer (only its deploy() is replaced): what it holds after
the CLI built it, and the JSON a refusal prints once the target is resolved.
"""

from __future__ import annotations

import json
import time
from typing import ClassVar

import pytest

from lmsops.cli import main
from lmsops.deploy import cli, ecs, flow, interrupts, target
from lmsops.deploy.outcome import DeployRequest, DeployResult
from lmsops.deploy.rollback import RollbackResult
from lmsops.errors import UserError

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend:4b5c6d7"
OLD = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms-dev-backend:3"
NEW = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms-dev-backend:4"
OUTPUTS = {"cluster_name": "lms-dev", "service_name": "lms-dev-backend", "container_name": "app"}


class FakeDeployer:
    """Records how the CLI built it; deploy() logs a line and returns the result it is given."""

    made: ClassVar[list[FakeDeployer]] = []
    outcome: ClassVar[object] = None  # a DeployResult to return, or an exception to raise

    def __init__(self, client, clock, sleep, log, **hooks):
        self.client, self.clock, self.sleep, self.log, self.hooks = client, clock, sleep, log, hooks
        self.requests: list[DeployRequest] = []
        FakeDeployer.made.append(self)

    def deploy(self, request: DeployRequest) -> DeployResult:
        self.requests.append(request)
        self.log("rolling out lms-dev-backend:4")
        if isinstance(FakeDeployer.outcome, BaseException):
            raise FakeDeployer.outcome
        return FakeDeployer.outcome


@pytest.fixture
def deployer(monkeypatch):
    FakeDeployer.made = []
    FakeDeployer.outcome = DeployResult(
        outcome="succeeded",
        cluster="lms-dev",
        service="lms-dev-backend",
        container="app",
        image=IMAGE,
        previous_task_definition=OLD,
        source_task_definition=OLD,
        new_task_definition=NEW,
    )
    monkeypatch.setattr(cli.flow, "Deployer", FakeDeployer)
    monkeypatch.setattr(ecs, "make_client", lambda: "ecs-client")
    monkeypatch.setattr(
        cli, "make_preflight", lambda image, allow: ("preflight", image.text, allow)
    )
    monkeypatch.setattr(cli, "make_diagnose", lambda client: ("diagnose", client))
    monkeypatch.setattr(target, "live_outputs", lambda repo, env, data_dir: OUTPUTS)
    return FakeDeployer


def test_every_deploy_flag_reaches_the_request(deployer, capsys):
    code = main(
        [
            "deploy",
            "--cluster", "c",
            "--service", "s",
            "--container", "web",
            "--image", IMAGE,
            "--env-var", "A=1",
            "--env-var", "B=x=y",
            "--from-running",
            "--run-before", "bin/migrate",
            "--keep", "3",
            "--dry-run",
            "--poll-interval", "2.5",
            "--timeout", "120",
            "--bake", "300",
        ]
    )  # fmt: skip
    assert code == 0
    [made] = deployer.made
    assert made.requests == [
        DeployRequest(
            cluster="c",
            service="s",
            image=IMAGE,
            container="web",
            env_vars={"A": "1", "B": "x=y"},
            from_running=True,
            run_before="bin/migrate",
            keep=3,
            dry_run=True,
            poll_interval=2.5,
            timeout=120.0,
            bake=300.0,
        )
    ]


def test_without_bake_the_request_bakes_for_zero_seconds(deployer):
    assert main(["deploy", "--env", "dev", "--image", IMAGE]) == 0
    [request] = deployer.made[0].requests
    assert request.bake == 0.0
    assert isinstance(request.bake, float)
    # --env fills in the output's container; the CLI's defaults go to the flow as they are.
    assert (request.container, request.poll_interval, request.timeout) == ("app", 10.0, 900.0)


def test_the_deployer_gets_the_clock_the_sleep_the_log_and_its_hooks(deployer, monkeypatch, capsys):
    made_cloudwatch = []
    monkeypatch.setattr(cli, "make_cloudwatch", lambda: made_cloudwatch.append(1) or "cw")
    assert main(["deploy", "--env", "dev", "--image", IMAGE, "--allow-external-image"]) == 0
    [made] = deployer.made
    assert (made.client, made.clock, made.sleep) == ("ecs-client", time.monotonic, time.sleep)
    assert made.hooks["preflight"] == ("preflight", IMAGE, True)
    assert made.hooks["diagnose"] == ("diagnose", "ecs-client")
    # One CloudWatch client however often the flow asks for it, made only when asked.
    assert made_cloudwatch == []
    cloudwatch = made.hooks["cloudwatch"]
    assert (cloudwatch(), cloudwatch()) == ("cw", "cw")
    assert made_cloudwatch == [1]
    captured = capsys.readouterr()
    assert captured.err == "rolling out lms-dev-backend:4\n"
    assert captured.out.startswith("succeeded: lms-dev-backend on lms-dev")


def test_a_refusal_in_json_names_the_resolved_cluster_service_and_container(deployer, capsys):
    deployer.outcome = UserError("preflight found 1 problem(s)")
    code = main(["deploy", "--env", "dev", "--image", IMAGE, "--output", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 2
    assert data == {
        "env": "dev",
        "cluster": "lms-dev",
        "service": "lms-dev-backend",
        "container": "app",
        "image": IMAGE,
        "dry_run": False,
        "outcome": "refused",
        "exit_code": 2,
        "reason": "preflight found 1 problem(s)",
    }


def test_sigterm_before_anything_is_registered_exits_143_and_says_sigterm(deployer, capsys):
    deployer.outcome = interrupts.Terminated()
    code = main(["deploy", "--cluster", "c", "--service", "s", "--image", IMAGE])
    assert code == 143
    assert capsys.readouterr().out == (
        "interrupted (SIGTERM) before anything was registered: nothing changed\n"
    )


def test_a_missing_image_names_the_flag_and_the_verbs(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["deploy", "--cluster", "c", "--service", "s"])
    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith(
        "error: --image is required to deploy (or give a verb: status, rollback)\n"
    )


def test_log_lines_go_to_stderr_as_given(capsys):
    cli._log("waiting for ecs-svc/1: 1/2 running")
    assert capsys.readouterr() == ("", "waiting for ecs-svc/1: 1/2 running\n")


class FakeRollback:
    made: ClassVar[list[FakeRollback]] = []
    outcome: ClassVar[object] = None

    def __init__(self, client, clock, sleep, log, target_flags, *, preflight):
        self.client, self.clock, self.sleep, self.log = client, clock, sleep, log
        self.target_flags, self.preflight = target_flags, preflight
        self.runs: list[tuple] = []
        FakeRollback.made.append(self)

    def run(self, cluster, service, *, to, poll_interval, timeout):
        self.runs.append((cluster, service, to, poll_interval, timeout))
        if isinstance(FakeRollback.outcome, BaseException):
            raise FakeRollback.outcome
        return FakeRollback.outcome


@pytest.fixture
def rollback(monkeypatch):
    FakeRollback.made = []
    FakeRollback.outcome = RollbackResult("rolled-back", "lms-dev", "lms-dev-backend", NEW, OLD)
    monkeypatch.setattr(cli.rollback, "Rollback", FakeRollback)
    monkeypatch.setattr(ecs, "make_client", lambda: "ecs-client")
    monkeypatch.setattr(cli, "make_rollback_preflight", lambda allow: ("rollback-preflight", allow))
    monkeypatch.setattr(target, "live_outputs", lambda repo, env, data_dir: OUTPUTS)
    return FakeRollback


def test_rollback_flags_reach_the_rollback(rollback):
    argv = ["deploy", "rollback", "--env", "dev", "--to", "41", "--allow-external-image"]
    assert main([*argv, "--poll-interval", "2.5", "--timeout", "60"]) == 0
    [made] = rollback.made
    assert (made.client, made.clock, made.sleep) == ("ecs-client", time.monotonic, time.sleep)
    assert made.log is cli._log
    assert (made.target_flags, made.preflight) == ("--env dev", ("rollback-preflight", True))
    assert made.runs == [("lms-dev", "lms-dev-backend", "41", 2.5, 60.0)]


def test_rollback_without_allow_external_image_checks_images(rollback):
    assert main(["deploy", "rollback", "--cluster", "c", "--service", "s"]) == 0
    [made] = rollback.made
    assert made.preflight == ("rollback-preflight", False)
    assert made.target_flags == "--cluster c --service s"
    assert made.runs == [("c", "s", None, 10.0, 900.0)]


def test_a_rollback_refusal_in_json_names_the_resolved_service_and_the_target(rollback, capsys):
    rollback.outcome = UserError("no revision 41 of lms-dev-backend")
    argv = ["deploy", "rollback", "--env", "dev", "--to", "41", "--output", "json"]
    assert main(argv) == 2
    assert json.loads(capsys.readouterr().out) == {
        "env": "dev",
        "cluster": "lms-dev",
        "service": "lms-dev-backend",
        "to": "41",
        "outcome": "refused",
        "exit_code": 2,
        "reason": "no revision 41 of lms-dev-backend",
    }


class Recorded:
    """What Deployer.deploy was called on, and with."""

    deployer: flow.Deployer
    request: flow.DeployRequest


@pytest.fixture
def recorded(monkeypatch) -> Recorded:
    seen = Recorded()

    def deploy(self, request):
        seen.deployer, seen.request = self, request
        return flow.DeployResult("succeeded", request.cluster, request.service, "app", "", "", "")

    monkeypatch.setattr(flow.Deployer, "deploy", deploy)
    return seen


def test_the_deployer_is_wired_to_real_time_stderr_and_hooks_of_its_client(
    monkeypatch, recorded, capsys
):
    made, clouds = [], []
    monkeypatch.setattr(ecs, "make_client", lambda: "ecs-client")
    monkeypatch.setattr(
        cli, "make_preflight", lambda image, allow: ("preflight", image.text, allow)
    )
    monkeypatch.setattr(cli, "make_diagnose", lambda client: made.append(client) or "diagnose")
    monkeypatch.setattr(cli, "make_cloudwatch", lambda: clouds.append(1) or "cloudwatch-client")
    main(["deploy", "--cluster", "c", "--service", "s", "--image", IMAGE, "--allow-external-image"])
    deployer = recorded.deployer
    assert deployer.preflight == ("preflight", IMAGE, True)
    assert (deployer.client, deployer.clock, deployer.sleep) == (
        "ecs-client",
        time.monotonic,
        time.sleep,
    )
    assert (deployer.diagnose, made) == ("diagnose", ["ecs-client"])
    assert deployer.cloudwatch is not None
    # One CloudWatch client for the whole deploy, made only when first needed.
    assert clouds == []
    assert deployer.cloudwatch() == deployer.cloudwatch() == "cloudwatch-client"
    assert clouds == [1]
    deployer.log("registered lms:9")
    assert capsys.readouterr().err.endswith("registered lms:9\n")


def test_sigterm_before_anything_is_registered_is_reported_as_sigterm(monkeypatch, capsys):
    def terminated(self, request):
        raise interrupts.Terminated

    monkeypatch.setattr(ecs, "make_client", lambda: "ecs-client")
    monkeypatch.setattr(cli, "make_preflight", lambda image, allow: None)
    monkeypatch.setattr(flow.Deployer, "deploy", terminated)
    argv = ["deploy", "--cluster", "c", "--service", "s", "--image", IMAGE, "--output", "json"]
    assert main(argv) == 143
    assert json.loads(capsys.readouterr().out)["signal"] == "SIGTERM"


def refuse_after_resolving(monkeypatch) -> None:
    monkeypatch.setattr(target, "live_outputs", lambda repo, env, data_dir: OUTPUTS)

    def refused():
        raise UserError("no usable AWS credentials")

    monkeypatch.setattr(ecs, "make_client", refused)


def test_a_deploy_refused_after_the_env_is_resolved_names_the_resolved_target(monkeypatch, capsys):
    refuse_after_resolving(monkeypatch)
    monkeypatch.setattr(cli, "make_preflight", lambda image, allow: None)
    assert main(["deploy", "--env", "dev", "--image", IMAGE, "--output", "json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert (data["cluster"], data["service"], data["container"]) == (
        "lms-dev",
        "lms-dev-backend",
        "app",
    )


def test_a_rollback_refused_after_the_env_is_resolved_names_the_target_and_revision(
    monkeypatch, capsys
):
    refuse_after_resolving(monkeypatch)
    argv = ["deploy", "rollback", "--env", "dev", "--to", "7", "--output", "json"]
    assert main(argv) == 2
    data = json.loads(capsys.readouterr().out)
    assert (data["env"], data["cluster"], data["service"], data["to"]) == (
        "dev",
        "lms-dev",
        "lms-dev-backend",
        "7",
    )


def test_a_missing_image_is_refused_with_the_verbs_named(capsys):
    with pytest.raises(SystemExit):
        main(["deploy", "--cluster", "c", "--service", "s", "--output", "json"])
    assert json.loads(capsys.readouterr().out)["reason"] == (
        "--image is required to deploy (or give a verb: status, rollback)"
    )
