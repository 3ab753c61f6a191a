"""What `lmsops deploy` and `lmsops deploy rollback` hand on from the command line.

Every flag reaches the deploy request or the rollback, each hook is made for the right
client, and a refusal after the target is resolved names the resolved service.
"""

from __future__ import annotations

import json
import time

import pytest

from lmsops.cli import main
from lmsops.deploy import cli, ecs, flow, interrupts, target
from lmsops.errors import UserError

IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend:4b5c6d7"
DEV = {"cluster_name": "lms-dev", "service_name": "lms-dev-backend", "container_name": "app"}


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


def test_every_deploy_flag_reaches_the_request(monkeypatch, recorded, capsys):
    monkeypatch.setattr(ecs, "make_client", lambda: "ecs-client")
    monkeypatch.setattr(
        cli, "make_preflight", lambda image, allow: ("preflight", image.text, allow)
    )
    code = main(
        [
            *("deploy", "--cluster", "c", "--service", "s", "--container", "app"),
            *("--image", IMAGE, "--env-var", "A=1", "--from-running", "--run-before", "bin/m"),
            *("--keep", "3", "--bake", "2.5", "--allow-external-image"),
            *("--poll-interval", "0.5", "--timeout", "60", "--output", "json"),
        ]
    )
    assert code == 0
    assert recorded.request == flow.DeployRequest(
        cluster="c",
        service="s",
        image=IMAGE,
        container="app",
        env_vars={"A": "1"},
        from_running=True,
        run_before="bin/m",
        keep=3,
        dry_run=False,
        poll_interval=0.5,
        timeout=60.0,
        bake=2.5,
    )
    assert recorded.deployer.preflight == ("preflight", IMAGE, True)
    assert json.loads(capsys.readouterr().out)["outcome"] == "succeeded"


def test_without_bake_the_request_bakes_zero_seconds(monkeypatch, recorded, capsys):
    monkeypatch.setattr(ecs, "make_client", lambda: "ecs-client")
    monkeypatch.setattr(cli, "make_preflight", lambda image, allow: None)
    main(["deploy", "--cluster", "c", "--service", "s", "--image", IMAGE])
    assert recorded.request.bake == 0.0
    assert isinstance(recorded.request.bake, float)


def test_the_deployer_is_wired_to_real_time_stderr_and_hooks_of_its_client(
    monkeypatch, recorded, capsys
):
    made, clouds = [], []
    monkeypatch.setattr(ecs, "make_client", lambda: "ecs-client")
    monkeypatch.setattr(cli, "make_preflight", lambda image, allow: None)
    monkeypatch.setattr(cli, "make_diagnose", lambda client: made.append(client) or "diagnose")
    monkeypatch.setattr(cli, "make_cloudwatch", lambda: clouds.append(1) or "cloudwatch-client")
    main(["deploy", "--cluster", "c", "--service", "s", "--image", IMAGE])
    deployer = recorded.deployer
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
    monkeypatch.setattr(target, "live_outputs", lambda repo, env, data_dir: DEV)

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


def test_rollback_hands_its_flags_to_the_rollback_and_its_preflight(monkeypatch, capsys):
    seen = {}

    class Rollback:
        def __init__(self, *args, **kwargs):
            seen["made"] = (args, kwargs)

        def run(self, cluster, service, **kwargs):
            seen["run"] = (cluster, service, kwargs)
            raise UserError("stop here")

    monkeypatch.setattr(ecs, "make_client", lambda: "ecs-client")
    monkeypatch.setattr(cli.rollback, "Rollback", Rollback)
    monkeypatch.setattr(cli, "make_rollback_preflight", lambda allow: ("preflight", allow))
    argv = [
        *("deploy", "rollback", "--cluster", "c", "--service", "s", "--to", "7"),
        *("--allow-external-image", "--poll-interval", "0.5", "--timeout", "60"),
    ]
    assert main(argv) == 2
    assert seen["made"] == (
        ("ecs-client", time.monotonic, time.sleep, cli._log, "--cluster c --service s"),
        {"preflight": ("preflight", True)},
    )
    assert seen["run"] == ("c", "s", {"to": "7", "poll_interval": 0.5, "timeout": 60.0})
