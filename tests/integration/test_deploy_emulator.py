"""`lmsops deploy` on the emulator: a real register/update/describe round trip.

The test builds its own small Fargate service with boto3 (cluster, task definition,
service in the default VPC), so it does not depend on the backend live root. That
`terraform apply` after a deploy keeps the deployed revision is covered by the backend
root's integration test.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import shlex
import signal
import subprocess
import sys
import threading
import time
import uuid

import boto3
import pytest

from lmsops.cli import main
from lmsops.deploy import cli as deploy_cli
from lmsops.deploy import ecs as deploy_ecs
from lmsops.deploy import render, revisions
from lmsops.emulator.gaps.ecs_task_failures import EMULATOR_HEALTH_LABEL, EMULATOR_UNHEALTHY
from lmsops.roots import REPO_ROOT

OLD_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend:1111111"
NEW_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend:2222222"
TAGS = [{"key": "Project", "value": "lms"}, {"key": "Environment", "value": "it"}]


@pytest.fixture
def service(emulator):
    """A one-task Fargate service on its own cluster, with a (quiet) deployment alarm."""
    name = f"deploy-it-{uuid.uuid4().hex[:8]}"
    session = boto3.session.Session()  # reads the emulator env now, not a cached one
    ec2 = session.client("ec2")
    client = session.client("ecs")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    where = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
    subnets = [s["SubnetId"] for s in ec2.describe_subnets(Filters=where)["Subnets"][:2]]
    group = ec2.describe_security_groups(Filters=where)["SecurityGroups"][0]["GroupId"]
    push_images(session.client("ecr"))
    cloudwatch = session.client("cloudwatch")
    alarm = f"{name}-5xx"
    cloudwatch.put_metric_alarm(
        AlarmName=alarm,
        Namespace="AWS/ApplicationELB",
        MetricName="HTTPCode_Target_5XX_Count",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=5,
        ComparisonOperator="GreaterThanThreshold",
    )
    client.create_cluster(clusterName=name)
    first = client.register_task_definition(
        family=name,
        requiresCompatibilities=["FARGATE"],
        networkMode="awsvpc",
        cpu="256",
        memory="512",
        containerDefinitions=[
            {
                "name": "app",
                "image": OLD_IMAGE,
                "essential": True,
                "portMappings": [{"containerPort": 4000, "protocol": "tcp"}],
                "environment": [{"name": "PORT", "value": "4000"}],
            }
        ],
        tags=TAGS,
    )["taskDefinition"]["taskDefinitionArn"]
    client.create_service(
        cluster=name,
        serviceName=name,
        taskDefinition=first,
        desiredCount=1,
        launchType="FARGATE",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": subnets, "securityGroups": [group]}
        },
        deploymentConfiguration={
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "alarms": {"alarmNames": [alarm], "enable": True, "rollback": True},
            "minimumHealthyPercent": 100,
            "maximumPercent": 200,
        },
    )
    try:
        yield {
            "client": client,
            "name": name,
            "first": first,
            "alarm": alarm,
            "cloudwatch": cloudwatch,
        }
    finally:
        cloudwatch.delete_alarms(AlarmNames=[alarm])
        client.update_service(cluster=name, service=name, desiredCount=0)
        client.delete_service(cluster=name, service=name, force=True)
        for arn in client.list_task_definitions(familyPrefix=name)["taskDefinitionArns"]:
            client.deregister_task_definition(taskDefinition=arn)
        client.delete_cluster(cluster=name)


def push_images(ecr) -> None:
    """The images the tests deploy are in the emulator's ECR (pre-flight checks that)."""
    repository = NEW_IMAGE.split("/", 1)[1].split(":", maxsplit=1)[0]
    try:
        ecr.create_repository(repositoryName=repository)
    except ecr.exceptions.RepositoryAlreadyExistsException:
        return
    for image in (OLD_IMAGE, NEW_IMAGE):
        tag = image.rsplit(":", 1)[1]
        digest = hashlib.sha256(tag.encode()).hexdigest()
        manifest = {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"digest": f"sha256:{digest}", "size": 100},
            "layers": [{"digest": f"sha256:{digest[::-1]}", "size": 1000}],
        }
        ecr.put_image(repositoryName=repository, imageTag=tag, imageManifest=json.dumps(manifest))


def deploy(capsys, name: str, *extra: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = main(
        [
            "deploy",
            "--cluster",
            name,
            "--service",
            name,
            "--image",
            NEW_IMAGE,
            "--poll-interval",
            "0.2",
            "--timeout",
            "15",
            "--output",
            "json",
            *extra,
        ]
    )
    return code, json.loads(capsys.readouterr().out)


def register_form(client, arn: str) -> dict:
    described, tags = deploy_ecs.describe_task_definition(client, arn)
    return render.register_input(described, tags, deploy_ecs.register_fields(client))


def test_deploy_registers_a_revision_with_only_the_image_changed(service, capsys):
    client, name, first = service["client"], service["name"], service["first"]

    code, result = deploy(capsys, name)

    assert (code, result["outcome"]) == (0, "succeeded"), result
    new = result["new_task_definition"]
    assert result["previous_task_definition"] == first
    assert new != first
    old_td = client.describe_task_definition(taskDefinition=first)["taskDefinition"]
    new_td = client.describe_task_definition(taskDefinition=new)["taskDefinition"]
    # What the fixture registered, written out: not re-derived with the code under test.
    assert (new_td["family"], new_td["networkMode"], new_td["cpu"], new_td["memory"]) == (
        name,
        "awsvpc",
        "256",
        "512",
    )
    assert new_td["requiresCompatibilities"] == ["FARGATE"]
    [app] = new_td["containerDefinitions"]
    assert (app["name"], app["image"], app["essential"]) == ("app", NEW_IMAGE, True)
    assert [m["containerPort"] for m in app["portMappings"]] == [4000]
    assert app["environment"] == [{"name": "PORT", "value": "4000"}]
    tags = client.list_tags_for_resource(resourceArn=new)["tags"]
    ours = {t["key"]: t["value"] for t in tags if t["key"].startswith("lmsops:")}
    assert ours == {
        revisions.STATUS: revisions.COMPLETED,
        revisions.TERRAFORM_REVISION: "1",
        revisions.ENV_VARS: "",
        revisions.PREVIOUS: first,
    }
    assert sorted(
        (t["key"], t["value"]) for t in tags if not t["key"].startswith("lmsops:")
    ) == sorted((t["key"], t["value"]) for t in TAGS)
    # Everything else ECS describes is the same as the first revision's, but the image.
    per_revision = {"taskDefinitionArn", "revision", "registeredAt", "registeredBy"}
    app["image"] = OLD_IMAGE
    assert {k: v for k, v in new_td.items() if k not in per_revision} == {
        k: v for k, v in old_td.items() if k not in per_revision
    }
    described = client.describe_services(cluster=name, services=[name])["services"][0]
    assert described["taskDefinition"] == new
    assert client.describe_task_definition(taskDefinition=first)["taskDefinition"]["status"] == (
        "ACTIVE"
    )


def test_dry_run_changes_nothing(service, capsys):
    client, name, first = service["client"], service["name"], service["first"]
    before = client.list_task_definitions(familyPrefix=name)["taskDefinitionArns"]

    code, result = deploy(capsys, name, "--dry-run")

    assert (code, result["outcome"], result["new_task_definition"]) == (0, "dry-run", None)
    assert f'+      "image": "{NEW_IMAGE}",' in result["diff"]
    assert client.list_task_definitions(familyPrefix=name)["taskDefinitionArns"] == before
    described = client.describe_services(cluster=name, services=[name])["services"][0]
    assert described["taskDefinition"] == first


def test_unknown_service_exits_2_with_a_clear_message(service, capsys):
    code = main(["deploy", "--cluster", service["name"], "--service", "nope", "--image", NEW_IMAGE])
    assert code == 2
    assert "ECS service 'nope' not found" in capsys.readouterr().err


def test_bake_rolls_back_when_a_deployment_alarm_fires_after_completed(
    service, capsys, monkeypatch
):
    # The emulator evaluates no metrics: the alarm is driven with SetAlarmState once the
    # bake has checked it quiet (the deploy's own progress line says when).
    client, name, first = service["client"], service["name"], service["first"]
    fired = []

    def log_and_fire(message: str) -> None:
        if "bake:" in message and "quiet" in message and not fired:
            fired.append(message)
            service["cloudwatch"].set_alarm_state(
                AlarmName=service["alarm"],
                StateValue="ALARM",
                StateReason="Threshold Crossed: 12 5XX responses in 60 s",
            )

    monkeypatch.setattr(deploy_cli, "_log", log_and_fire)

    code, result = deploy(capsys, name, "--bake", "5")

    assert fired, "the bake never reported a quiet check"
    assert (code, result["outcome"], result["state"]) == (1, "rolled-back", "BAKE_FAILED"), result
    assert service["alarm"] in result["reason"]
    assert "Threshold Crossed: 12 5XX responses in 60 s" in result["reason"]
    described = client.describe_services(cluster=name, services=[name])["services"][0]
    assert described["taskDefinition"] == first
    tags = client.list_tags_for_resource(resourceArn=result["new_task_definition"])["tags"]
    assert {"key": revisions.STATUS, "value": revisions.ROLLED_BACK} in tags


def test_a_deployment_alarm_firing_during_the_rollout_rolls_back_and_is_named(
    service, capsys, monkeypatch
):
    # The emulator fails an in-progress deployment whose alarm is in ALARM and rolls it back,
    # as ECS does; the alarm is driven with SetAlarmState right after UpdateService.
    client, name, first = service["client"], service["name"], service["first"]
    fired = []

    def log_and_fire(message: str) -> None:
        if "following deployment" in message and not fired:
            fired.append(message)
            service["cloudwatch"].set_alarm_state(
                AlarmName=service["alarm"],
                StateValue="ALARM",
                StateReason="Threshold Crossed: 40 5XX responses in 60 s",
            )

    monkeypatch.setattr(deploy_cli, "_log", log_and_fire)

    code, result = deploy(capsys, name)

    assert fired, "the deploy never said which deployment it follows"
    assert (code, result["outcome"]) == (1, "rolled-back"), result
    assert service["alarm"] in result["reason"]
    assert "Threshold Crossed: 40 5XX responses in 60 s" in result["reason"]
    described = client.describe_services(cluster=name, services=[name])["services"][0]
    assert described["taskDefinition"] == first
    tags = client.list_tags_for_resource(resourceArn=result["new_task_definition"])["tags"]
    assert {"key": revisions.STATUS, "value": revisions.ROLLED_BACK} in tags


def test_bake_on_a_service_without_alarms_is_refused_and_registers_nothing(service, capsys):
    client, name = service["client"], service["name"]
    client.update_service(
        cluster=name,
        service=name,
        deploymentConfiguration={"alarms": {"alarmNames": [], "enable": False, "rollback": False}},
    )
    before = client.list_task_definitions(familyPrefix=name)["taskDefinitionArns"]

    code = main(
        ["deploy", "--cluster", name, "--service", name, "--image", NEW_IMAGE, "--bake", "5"]
    )

    assert code == 2
    assert "--bake watches the service's deployment alarms" in capsys.readouterr().err
    assert client.list_task_definitions(familyPrefix=name)["taskDefinitionArns"] == before


def test_rollback_checks_the_targets_image_and_to_the_running_revision_changes_nothing(
    service, capsys
):
    client, name, first = service["client"], service["name"], service["first"]
    unpushed = OLD_IMAGE.rsplit(":", 1)[0] + ":3333333"
    form = register_form(client, first)
    form["containerDefinitions"][0]["image"] = unpushed
    never_pushed = client.register_task_definition(**form)["taskDefinition"]["taskDefinitionArn"]
    target = ["--cluster", name, "--service", name, "--poll-interval", "0.2", "--output", "json"]
    capsys.readouterr()

    code = main(["deploy", "rollback", *target, "--to", never_pushed])

    captured = capsys.readouterr()
    refusal = json.loads(captured.out)
    assert (code, refusal["outcome"], refusal["exit_code"]) == (2, "refused", 2)
    assert f"image {unpushed} is not in ECR" in refusal["reason"]
    assert f"image {unpushed} is not in ECR" in captured.err
    described = client.describe_services(cluster=name, services=[name])["services"][0]
    assert described["taskDefinition"] == first

    code = main(["deploy", "rollback", *target, "--to", "1"])

    result = json.loads(capsys.readouterr().out)
    assert (code, result["outcome"], result["to_task_definition"]) == (
        0,
        "already-on-target",
        first,
    )
    assert result["deployment_id"] is None
    after = client.describe_services(cluster=name, services=[name])["services"][0]
    assert [d["id"] for d in after["deployments"]] == [d["id"] for d in described["deployments"]]


# --- Interrupts, in a real process: the signal arrives while the deploy sleeps between
# polls (--poll-interval 30 keeps it there), as Ctrl-C or a CI cancel would.


# A child starts with SIGINT ignored when its parent ignores it, and Python then installs
# no KeyboardInterrupt handler; the deploy starts with Ctrl-C as a terminal delivers it.
AS_IN_A_TERMINAL = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'lmsops'; runpy.run_module('lmsops.cli', run_name='__main__')"
)


class RunningDeploy:
    """`lmsops deploy ...` in a child process whose stderr lines are collected as they come."""

    def __init__(self, *argv: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-c", AS_IN_A_TERMINAL, "deploy", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line)

    # Generous bounds: they only catch a hang. Five integration lanes share two cores, and
    # a loaded machine took over 60 s to start the child and write its report.
    def wait_for(self, *words: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            self.seen.append(line)
            if all(word in line for word in words):
                return
        self.process.kill()
        raise AssertionError(f"no line with {words} in:\n{''.join(self.seen)}")

    def interrupt(self, signum: int) -> tuple[int, dict]:
        self.process.send_signal(signum)
        out, _ = self.process.communicate(timeout=180)
        return self.process.returncode, json.loads(out)


def tags_of(client, arn: str) -> dict[str, str]:
    return {t["key"]: t["value"] for t in client.list_tags_for_resource(resourceArn=arn)["tags"]}


def test_sigterm_during_run_before_stops_the_one_off_task_and_reports(service, capsys):
    client, name, first = service["client"], service["name"], service["first"]
    target = ("--cluster", name, "--service", name)
    run = RunningDeploy(
        *target,
        "--image",
        NEW_IMAGE,
        "--env-var",
        "FEATURE_X=on",
        "--run-before",
        "bin/migrate",
        "--poll-interval",
        "30",
        "--output",
        "json",
    )
    run.wait_for("  one-off task ")  # its first progress line: it polled, now it sleeps

    code, report = run.interrupt(signal.SIGTERM)

    assert (code, report["outcome"], report["signal"]) == (143, "interrupted", "SIGTERM"), report
    assert report["state"] == "service not updated"
    assert report["previous_task_definition"] == first
    task = client.describe_tasks(cluster=name, tasks=[report["one_off_task"]])["tasks"][0]
    assert (task["lastStatus"], task["stoppedReason"]) == ("STOPPED", "lmsops deploy interrupted")
    described = client.describe_services(cluster=name, services=[name])["services"][0]
    assert described["taskDefinition"] == first
    abandoned = report["new_task_definition"]
    assert tags_of(client, abandoned)[revisions.STATUS] == revisions.INTERRUPTED
    # The abandoned revision is the family's latest ACTIVE one; the next deploy ignores it.
    code, result = deploy(capsys, name, "--dry-run")
    assert (code, result["source_task_definition"]) == (0, first)
    assert "FEATURE_X" not in result["diff"]


def test_sigint_during_a_rollout_prints_the_deployment_and_the_rollback_command(service, capsys):
    client, name, first = service["client"], service["name"], service["first"]
    # A revision registered outside lmsops (as Terraform would) whose tasks fail their
    # health checks (emulator-only label): the deploy starts from it, and its deployment
    # stays IN_PROGRESS (the circuit breaker needs 3 failed tasks, one per poll).
    unhealthy = register_form(client, first)
    unhealthy["containerDefinitions"][0]["dockerLabels"] = {
        EMULATOR_HEALTH_LABEL: EMULATOR_UNHEALTHY
    }
    client.register_task_definition(**unhealthy)
    run = RunningDeploy(
        "--cluster",
        name,
        "--service",
        name,
        "--image",
        NEW_IMAGE,
        "--poll-interval",
        "30",
        "--output",
        "json",
    )
    run.wait_for("following deployment")
    run.wait_for("IN_PROGRESS")

    code, report = run.interrupt(signal.SIGINT)

    assert (code, report["outcome"], report["state"]) == (130, "interrupted", "IN_PROGRESS"), report
    assert report["deployment_id"].startswith("ecs-svc/")
    assert report["previous_task_definition"] == first
    rollback = f"lmsops deploy rollback --cluster {name} --service {name} --to {first}"
    assert report["next_steps"] == [
        f"lmsops deploy status --cluster {name} --service {name} --wait",
        rollback,
    ]
    capsys.readouterr()
    assert main([*shlex.split(rollback)[1:], "--poll-interval", "0.2", "--output", "json"]) == 0
    back = json.loads(capsys.readouterr().out)
    assert (back["outcome"], back["to_task_definition"]) == ("rolled-back", first)
    described = client.describe_services(cluster=name, services=[name])["services"][0]
    assert described["taskDefinition"] == first
    assert tags_of(client, report["new_task_definition"])[revisions.STATUS] == (
        revisions.ROLLED_BACK
    )
