"""Boundaries of `lmsops deploy` the flow tests pass over (found by mutation testing).

Argument bounds (exactly 1 is a valid --keep, 0 is not), AWS errors that carry no error
body, and the pre-flight hooks handing their flags through.
"""

from __future__ import annotations

import argparse

import boto3
import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

from lmsops.deploy import alarms, cli, ecs, hooks, preflight
from lmsops.deploy.render import parse_image
from lmsops.errors import UserError

ACCOUNT = "123456789012"
REGISTRY = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
IMAGE = f"{REGISTRY}/lms-backend:4b5c6d7"
SERVICE = {"serviceArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/lms-dev/lms-dev"}


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lmsops")
    cli.add_parser(parser.add_subparsers())
    base = ["deploy", "--image", IMAGE, "--cluster", "c", "--service", "s"]
    return parser.parse_args([*base, *argv])


def test_keep_accepts_exactly_one_and_more():
    assert parse("--keep", "1").keep == 1
    assert parse("--keep", "2").keep == 2
    assert parse().keep is None


@pytest.mark.parametrize("value", ["0", "-1"])
def test_keep_below_one_is_a_usage_error_saying_the_bound(value, capsys):
    with pytest.raises(SystemExit) as exited:
        parse("--keep", value)
    assert exited.value.code == 2
    assert "argument --keep: must be 1 or more" in capsys.readouterr().err


def test_keep_below_one_message():
    with pytest.raises(argparse.ArgumentTypeError, match=r"^must be 1 or more$"):
        cli._positive_int("0")
    assert cli._positive_int("1") == 1


def test_positive_float_bounds():
    assert cli._positive_float("0.001") == 0.001
    for text in ("0", "-2.5"):
        with pytest.raises(argparse.ArgumentTypeError, match=r"^must be greater than 0$"):
            cli._positive_float(text)


def test_poll_interval_and_timeout_defaults():
    args = parse()
    assert (args.poll_interval, args.timeout) == (10.0, 900.0)


# --- ClientErrors without an error body (a 5xx whose body could not be parsed) ------------


def bare_error(operation: str) -> ClientError:
    return ClientError({}, operation)


def test_an_error_without_a_code_is_not_taken_for_cluster_not_found():
    class Client:
        def describe_services(self, cluster, services):
            raise bare_error("DescribeServices")

    with pytest.raises(ClientError):
        ecs.describe_service(Client(), "c", "s")
    assert ecs._code(bare_error("X")) == ""


def test_aws_errors_reports_an_error_without_a_body_as_none():
    refused = pytest.raises(UserError, match=r"^AWS refused DescribeServices: None: None$")
    with refused, ecs.aws_errors():
        raise bare_error("DescribeServices")


def test_a_refused_check_without_an_error_body_still_names_the_permission():
    message = preflight._refused(bare_error("GetRole"), "check task role r", "iam:GetRole")
    assert message == (
        "could not check task role r: AWS answered None: None; allow iam:GetRole to the "
        "deploying identity"
    )
    assert preflight._code(bare_error("GetRole")) == ""


# --- verify hands its flags to the checks --------------------------------------------------


class NoEcr:
    def describe_images(self, **kwargs):
        raise AssertionError("an allowed external image is not looked up")


class Ecr:
    def __init__(self):
        self.calls = []

    def describe_images(self, **kwargs):
        self.calls.append(kwargs)
        return {"imageDetails": [{"imageTags": ["4b5c6d7"]}]}


def clients(ecr) -> preflight.Clients:
    return preflight.Clients(ecr=ecr, iam=None, logs=None, elbv2=None)


def test_verify_refuses_an_external_image_by_default_and_accepts_it_when_allowed():
    external = parse_image("docker.io/library/nginx:1.27")
    with pytest.raises(UserError, match=r"preflight found 1 problem\(s\)"):
        preflight.verify(clients(NoEcr()), SERVICE, {}, external)
    preflight.verify(clients(NoEcr()), SERVICE, {}, external, allow_external_image=True)


def test_verify_checks_the_repository_against_the_current_image():
    other = f"{REGISTRY}/other:1"
    with pytest.raises(UserError, match="but the service runs images of other"):
        preflight.verify(clients(Ecr()), SERVICE, {}, parse_image(IMAGE), current_image=other)
    ecr = Ecr()
    preflight.verify(clients(ecr), SERVICE, {}, parse_image(IMAGE), current_image=IMAGE)
    assert ecr.calls == [
        {
            "registryId": ACCOUNT,
            "repositoryName": "lms-backend",
            "imageIds": [{"imageTag": "4b5c6d7"}],
        }
    ]


def test_the_preflight_hook_passes_the_current_image_and_the_flag(monkeypatch):
    seen = []
    monkeypatch.setattr(preflight.Clients, "from_session", classmethod(lambda cls, s: "clients"))
    monkeypatch.setattr(ecs, "make_session", lambda: "session")
    monkeypatch.setattr(preflight, "verify", lambda *a, **k: seen.append((a, k)))
    image = parse_image(IMAGE)
    hooks.make_preflight(image, True)(SERVICE, {"family": "f"}, "app", "current:1")
    assert seen == [
        (
            ("clients", SERVICE, {"family": "f"}, image),
            {"current_image": "current:1", "allow_external_image": True},
        )
    ]


def test_the_rollback_hook_checks_the_definitions_with_the_flag(monkeypatch):
    seen = []
    monkeypatch.setattr(preflight, "verify_rollback", lambda *a, **k: seen.append((a, k)))

    class Rev:
        def __init__(self, definition):
            self.definition = definition

    hooks.make_rollback_preflight(False, ecr="ecr")(SERVICE, Rev({"a": 1}), Rev({"b": 2}))
    assert seen == [(("ecr", SERVICE, {"a": 1}, {"b": 2}), {"allow_external_image": False})]


def test_make_cloudwatch_is_a_cloudwatch_client_of_the_deploy_session(monkeypatch):
    session = boto3.session.Session(
        region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    monkeypatch.setattr(ecs, "make_session", lambda: session)
    client = hooks.make_cloudwatch()
    assert client.meta.service_model.service_name == "cloudwatch"
    assert client.meta.region_name == "eu-west-1"


# --- ECS look-ups --------------------------------------------------------------------------


class Services:
    def __init__(self, answer=None, error=None):
        self.answer, self.error = answer, error

    def describe_services(self, cluster, services):
        if self.error:
            raise self.error
        return self.answer

    def describe_task_definition(self, taskDefinition, include):
        if self.error:
            raise self.error
        return self.answer


def client_error(code: str, message: str = "m", operation: str = "Op") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


def test_describe_service_skips_inactive_services_and_names_what_is_missing():
    active = {"serviceName": "s", "status": "ACTIVE"}
    answer = {"services": [{"serviceName": "s", "status": "INACTIVE"}, active]}
    assert ecs.describe_service(Services(answer), "c", "s") is active
    with pytest.raises(UserError, match=r"^ECS service 's' not found in cluster 'c'$"):
        ecs.describe_service(Services({"services": [answer["services"][0]]}), "c", "s")
    with pytest.raises(UserError, match=r"^ECS service 's' not found in cluster 'c'$"):
        ecs.describe_service(Services({}), "c", "s")


def test_a_missing_cluster_is_named_and_other_errors_propagate():
    with pytest.raises(UserError, match=r"^ECS cluster 'c' not found$"):
        ecs.describe_service(Services(error=client_error("ClusterNotFoundException")), "c", "s")
    with pytest.raises(ClientError):
        ecs.describe_service(Services(error=client_error("AccessDeniedException")), "c", "s")


@pytest.mark.parametrize("code", ["ClientException", "InvalidParameterException"])
def test_a_missing_task_definition_is_named_with_the_aws_message(code):
    client = Services(error=client_error(code, "Unable to describe task definition."))
    with pytest.raises(UserError) as refused:
        ecs.describe_task_definition(client, "lms:99")
    assert str(refused.value) == (
        "task definition 'lms:99' not found (Unable to describe task definition.)"
    )
    with pytest.raises(ClientError):
        ecs.describe_task_definition(Services(error=client_error("Throttling")), "lms:99")


def test_describe_task_definition_returns_the_definition_and_its_tags():
    answer = {"taskDefinition": {"family": "lms"}, "tags": [{"key": "a", "value": "1"}]}
    assert ecs.describe_task_definition(Services(answer), "lms") == (
        {"family": "lms"},
        [{"key": "a", "value": "1"}],
    )
    no_tags = {"taskDefinition": {"family": "lms"}, "tags": None}
    assert ecs.describe_task_definition(Services(no_tags), "lms") == ({"family": "lms"}, [])


def test_arn_parts():
    arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms-dev:7"
    assert ecs.family_of(arn) == "lms-dev"
    assert ecs.revision_of(arn) == 7


def test_aws_errors_turn_credentials_endpoint_and_refusals_into_user_errors():
    no_credentials = pytest.raises(UserError, match=r"^no usable AWS credentials \(Unable to")
    with no_credentials, ecs.aws_errors():
        raise NoCredentialsError()
    no_endpoint = pytest.raises(UserError, match=r"^cannot reach the ECS endpoint: Could not")
    with no_endpoint, ecs.aws_errors():
        raise EndpointConnectionError(endpoint_url="https://x")
    refused = pytest.raises(UserError, match=r"^AWS refused UpdateService: AccessDenied: no$")
    with refused, ecs.aws_errors():
        raise client_error("AccessDenied", "no", "UpdateService")


# --- alarms ----------------------------------------------------------------------------------


class QuietAlarms:
    def get_paginator(self, name):
        return self

    def paginate(self, **kwargs):
        if kwargs.get("StateValue") == "ALARM":
            yield {"MetricAlarms": [{"AlarmName": "a"}]}  # no StateReason
        else:
            yield {}


def test_bake_progress_counts_from_its_own_start():
    now = {"t": 1000.0}
    log: list[str] = []

    def sleep(seconds):
        now["t"] += seconds

    fired = alarms.bake(
        QuietAlarms(), ["a"], 5, 5, clock=lambda: now["t"], sleep=sleep, log=log.append
    )
    assert log == ["[    0s] bake: alarm a is in ALARM: "]
    assert fired == alarms.FiringAlarm("a", "", None)
