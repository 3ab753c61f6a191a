"""Pre-flight checks the Stubber tests (test_deploy_preflight.py) pass over.

Which client each check gets from the session, a target-group look-up AWS refuses or
answers empty, and a rollback target's images: defaults, missing definitions, the
repository the service runs. Fake clients; every message is exact.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from lmsops.deploy import preflight
from lmsops.deploy.render import parse_image
from lmsops.errors import UserError

ACCOUNT = "123456789012"
REGISTRY = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
SERVICE = {"serviceArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/lms-dev/lms-dev"}
TARGET_GROUP = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/lms/0123456789abcdef"
EXTERNAL = "docker.io/library/nginx:1.27"
TARGET_ARN = f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/lms-dev:3"


@pytest.fixture(autouse=True)
def not_on_the_emulator(monkeypatch):
    """The push advice names the emulator when AWS_ENDPOINT_URL is loopback: these messages
    are AWS's, whatever an earlier test of this worker pointed the environment at."""
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)


class Session:
    """boto3.session.Session's client(): each call recorded, answered with a label."""

    def __init__(self):
        self.calls: list[tuple[str, dict]] = []

    def client(self, service, **options):
        self.calls.append((service, options))
        where = f"@{options['region_name']}" if "region_name" in options else ""
        return f"{service}-client{where}"


def test_each_check_gets_a_client_of_its_own_service_from_the_session():
    session = Session()
    clients = preflight.Clients.from_session(session)
    assert (clients.ecr, clients.iam, clients.logs, clients.elbv2) == (
        "ecr-client",
        "iam-client",
        "logs-client",
        "elbv2-client",
    )
    assert session.calls == [("ecr", {}), ("iam", {}), ("logs", {}), ("elbv2", {})]


def test_a_log_group_in_another_region_gets_a_logs_client_of_that_region():
    session = Session()
    clients = preflight.Clients.from_session(session)
    assert clients.logs_in is not None
    assert clients.logs_in("eu-west-1") == "logs-client@eu-west-1"
    assert session.calls[-1] == ("logs", {"region_name": "eu-west-1"})


# --- target groups -------------------------------------------------------------------------


class Elbv2:
    def __init__(self, answer=None, error: ClientError | None = None):
        self.answer, self.error = answer, error
        self.asked: list[list[str]] = []

    def describe_target_groups(self, TargetGroupArns):
        self.asked.append(TargetGroupArns)
        if self.error:
            raise self.error
        return self.answer


def test_a_refused_target_group_look_up_names_the_group_the_answer_and_the_permission():
    refused = ClientError({"Error": {"Code": "Throttling", "Message": "Rate exceeded"}}, "Describe")
    assert preflight._target_group_problems(Elbv2(error=refused), TARGET_GROUP, 4000) == [
        f"could not check target group {TARGET_GROUP}: AWS answered Throttling: Rate exceeded; "
        "allow elasticloadbalancing:DescribeTargetGroups to the deploying identity"
    ]


def test_an_empty_target_group_answer_is_no_problem():
    elbv2 = Elbv2({"TargetGroups": []})
    assert preflight._target_group_problems(elbv2, TARGET_GROUP, 4000) == []
    assert elbv2.asked == [[TARGET_GROUP]]


# --- a rollback target's images ------------------------------------------------------------


class Ecr:
    """DescribeImages: every tag asked for exists."""

    def __init__(self):
        self.asked: list[dict] = []

    def describe_images(self, **kwargs):
        self.asked.append(kwargs)
        return {"imageDetails": [{"imageTags": [kwargs["imageIds"][0].get("imageTag")]}]}


def definition(image: str | None = None) -> dict:
    described = {"taskDefinitionArn": TARGET_ARN}
    if image:
        described["containerDefinitions"] = [{"name": "app", "image": image}]
    return described


def external_problem(image: str) -> str:
    return (
        f"image {image} is not in this account's ECR registry {REGISTRY}, so its existence "
        f"cannot be checked: push it to {REGISTRY}/<repository>, or allow an external image "
        "explicitly (allow_external_image / --allow-external-image)"
    )


def test_a_rollback_to_an_external_image_is_refused_unless_allowed():
    current, target = definition(f"{REGISTRY}/lms-backend:v2"), definition(EXTERNAL)
    found = preflight.rollback_image_problems(Ecr(), SERVICE, current, target)
    assert found == [external_problem(EXTERNAL)]
    allowed = preflight.rollback_image_problems(
        Ecr(), SERVICE, current, target, allow_external_image=True
    )
    assert allowed == []


def test_a_rollback_to_another_repository_than_the_service_runs_is_refused():
    current = definition(f"{REGISTRY}/lms-backend:v2")
    target = definition(f"{REGISTRY}/other:v1")
    assert preflight.rollback_image_problems(Ecr(), SERVICE, current, target) == [
        f"image {REGISTRY}/other:v1 is in ECR repository other, but the service runs images "
        f"of lms-backend: deploy {REGISTRY}/lms-backend:<tag>, or allow another repository "
        "explicitly (allow_external_image / --allow-external-image)"
    ]


def test_definitions_without_containers_read_as_no_images():
    ecr = Ecr()
    image = f"{REGISTRY}/lms-backend:v1"
    assert preflight.rollback_image_problems(ecr, SERVICE, definition(), definition(image)) == []
    assert ecr.asked == [
        {
            "registryId": ACCOUNT,
            "repositoryName": "lms-backend",
            "imageIds": [{"imageTag": "v1"}],
        }
    ]
    assert preflight.rollback_image_problems(ecr, SERVICE, definition(image), definition()) == []


def test_verify_rollback_hands_the_flag_on_and_lists_every_problem_one_per_line():
    current = {
        "containerDefinitions": [
            {"name": "app", "image": f"{REGISTRY}/lms-backend:v2"},
            {"name": "proxy", "image": f"{REGISTRY}/proxy:v2"},
        ]
    }
    target = {
        "taskDefinitionArn": TARGET_ARN,
        "containerDefinitions": [
            {"name": "app", "image": EXTERNAL},
            {"name": "proxy", "image": "quay.io/proxy:1"},
        ],
    }
    preflight.verify_rollback(Ecr(), SERVICE, current, target, allow_external_image=True)
    with pytest.raises(UserError) as refused:
        preflight.verify_rollback(Ecr(), SERVICE, current, target)
    assert str(refused.value) == (
        f"preflight found 2 problem(s) with rollback target {TARGET_ARN}; the service was not "
        f"updated:\n  - {external_problem(EXTERNAL)}\n  - {external_problem('quay.io/proxy:1')}"
    )


def test_a_target_group_on_another_port_says_how_to_make_the_ports_equal():
    elbv2 = Elbv2({"TargetGroups": [{"Port": 8080}]})
    assert preflight._target_group_problems(elbv2, TARGET_GROUP, 4000) == [
        f"target group {TARGET_GROUP} forwards to port 8080, but the service binds container "
        "port 4000: make the target group's port and the container port equal (the backend "
        "root's container_port sets both)"
    ]


# --- roles -----------------------------------------------------------------------------------


class Iam:
    """GetRole: the names given exist; any other is NoSuchEntity."""

    def __init__(self, *existing: str):
        self.existing = existing
        self.asked: list[str] = []

    def get_role(self, RoleName):
        self.asked.append(RoleName)
        if RoleName not in self.existing:
            raise ClientError({"Error": {"Code": "NoSuchEntity", "Message": "x"}}, "GetRole")


def test_without_a_task_role_the_execution_role_is_still_checked():
    execution = f"arn:aws:iam::{ACCOUNT}:role/lms-dev-execution"
    iam = Iam()
    assert preflight.role_problems(iam, {"executionRoleArn": execution}) == [
        f"execution role {execution} (executionRoleArn of the task definition) does not exist: "
        "apply the service's Terraform root to recreate it, or fix executionRoleArn in the "
        "family's latest revision"
    ]
    assert iam.asked == ["lms-dev-execution"]


def test_a_role_is_looked_up_by_its_name_after_any_path_or_as_a_short_name():
    iam = Iam("lms-dev-task", "lms-dev-execution")
    rendered = {
        "taskRoleArn": "lms-dev-task",  # RegisterTaskDefinition takes a short name too
        "executionRoleArn": f"arn:aws:iam::{ACCOUNT}:role/service-role/lms-dev-execution",
    }
    assert preflight.role_problems(iam, rendered) == []
    assert iam.asked == ["lms-dev-task", "lms-dev-execution"]


# --- log groups ------------------------------------------------------------------------------


class Logs:
    """DescribeLogGroups pages; one client per region (meta.region_name)."""

    def __init__(self, pages=(), region="us-east-1", error: ClientError | None = None):
        self.pages, self.error = pages, error
        self.meta = type("Meta", (), {"region_name": region})()
        self.asked: list[str] = []

    def get_paginator(self, name):
        return self

    def paginate(self, logGroupNamePrefix):
        self.asked.append(logGroupNamePrefix)
        if self.error:
            raise self.error
        yield from self.pages


def logs_clients(logs: Logs, logs_in=None) -> preflight.Clients:
    return preflight.Clients(ecr=None, iam=None, logs=logs, elbv2=None, logs_in=logs_in)


def container(name: str, driver: str = "awslogs", **options: str) -> dict:
    return {"name": name, "logConfiguration": {"logDriver": driver, "options": options}}


def missing(group: str, name: str) -> str:
    return (
        f"log group {group} (awslogs-group of container {name}) does not exist, so the tasks "
        "could not start: apply the service's Terraform root to recreate it, or create it "
        f"(aws logs create-log-group --log-group-name {group})"
    )


def test_only_awslogs_containers_naming_a_group_are_checked_each_of_them():
    logs = Logs(pages=[{}, {"logGroups": [{"logGroupName": "/ecs/other"}]}])
    rendered = {
        "containerDefinitions": [
            container("splunk", driver="splunk", **{"awslogs-group": "/ecs/splunk"}),
            container("nameless"),
            container("created", **{"awslogs-group": "/ecs/c", "awslogs-create-group": "True"}),
            container("app", **{"awslogs-group": "/ecs/app"}),
        ]
    }
    assert preflight.log_group_problems(logs_clients(logs), rendered) == [
        missing("/ecs/app", "app")
    ]
    assert logs.asked == ["/ecs/app"]


def test_a_refused_log_group_look_up_names_the_group_the_answer_and_the_permission():
    denied = ClientError({"Error": {"Code": "AccessDenied", "Message": "not you"}}, "Describe")
    rendered = {"containerDefinitions": [container("app", **{"awslogs-group": "/ecs/app"})]}
    assert preflight.log_group_problems(logs_clients(Logs(error=denied)), rendered) == [
        "could not check log group /ecs/app: AWS answered AccessDenied: not you; allow "
        "logs:DescribeLogGroups to the deploying identity"
    ]


def test_a_log_group_in_another_region_without_a_client_for_it_is_a_clear_error():
    clients = logs_clients(Logs(region="us-east-1"))
    assert clients.logs_for("us-east-1") is clients.logs
    with pytest.raises(ValueError, match=r"^no CloudWatch Logs client for region eu-west-1$"):
        clients.logs_for("eu-west-1")


def test_verify_rollback_looks_the_target_image_up_with_the_ecr_client_it_is_given():
    ecr = Ecr()
    current = definition(f"{REGISTRY}/lms-backend:v2")
    preflight.verify_rollback(ecr, SERVICE, current, definition(f"{REGISTRY}/lms-backend:v1"))
    assert ecr.asked == [
        {"registryId": ACCOUNT, "repositoryName": "lms-backend", "imageIds": [{"imageTag": "v1"}]}
    ]


def test_a_service_without_an_arn_is_a_user_error_not_a_crash():
    with pytest.raises(UserError, match=r"^cannot tell the account of service ARN None$"):
        preflight.own_registry({"serviceName": "lms-dev"})
    with pytest.raises(UserError, match=r"^cannot tell the account of service ARN 'lms-dev'$"):
        preflight.own_registry({"serviceArn": "lms-dev"})
    assert preflight.own_registry(SERVICE) == (ACCOUNT, "us-east-1")


# --- an image in our own ECR -----------------------------------------------------------------

DIGEST = "sha256:" + "a" * 64


class Images:
    """DescribeImages answering DETAILS, or raising ERROR (code, message)."""

    def __init__(self, details=(), error: tuple[str, str] | None = None):
        self.details, self.error = list(details), error

    def describe_images(self, **kwargs):
        if self.error:
            code, message = self.error
            raise ClientError({"Error": {"Code": code, "Message": message}}, "DescribeImages")
        return {"imageDetails": self.details}


def image_problems(ecr, text: str, current: str | None = None) -> list[str]:
    return preflight.image_problems(ecr, SERVICE, parse_image(text), current, False)


def test_a_missing_digest_is_named_as_a_digest():
    image = f"{REGISTRY}/lms-backend@{DIGEST}"
    found = image_problems(Images(error=("ImageNotFoundException", "gone")), image)
    assert found == [
        f"image {image} is not in ECR (lms-backend has no digest {DIGEST}): push it first "
        f"(docker push {image}) or deploy a tag that was pushed"
    ]


def test_a_refused_image_look_up_names_the_image_the_answer_and_the_permission():
    image = f"{REGISTRY}/lms-backend:v1"
    assert image_problems(Images(error=("ThrottlingException", "slow down")), image) == [
        f"could not check image {image}: AWS answered ThrottlingException: slow down; allow "
        "ecr:DescribeImages to the deploying identity"
    ]


def test_a_digest_and_tag_must_both_match_and_a_digest_alone_or_a_tag_alone_need_not():
    both = f"{REGISTRY}/lms-backend:v1@{DIGEST}"
    assert image_problems(Images([{"imageTags": ["v0", "v1"]}]), both) == []
    assert image_problems(Images([{"imageDigest": DIGEST}]), both) == [
        f"image {both}: digest {DIGEST} exists in lms-backend but is not tagged v1: deploy "
        f"lms-backend@{DIGEST} or the digest that v1 points to"
    ]
    assert image_problems(Images([{"imageTags": ["v0"]}]), f"{REGISTRY}/lms-backend@{DIGEST}") == []
    assert image_problems(Images([{}]), f"{REGISTRY}/lms-backend:v1") == []


def test_a_current_image_of_another_account_does_not_pin_the_repository():
    other_account = "210987654321.dkr.ecr.us-east-1.amazonaws.com/lms-backend:v0"
    new = f"{REGISTRY}/lms-api:v1"
    assert image_problems(Images([{"imageTags": ["v1"]}]), new, current=other_account) == []
    assert preflight._own_repository(other_account, ACCOUNT, "us-east-1") is None
    assert preflight._own_repository("lms-backend:v0", ACCOUNT, "us-east-1") is None


# --- load balancer bindings ------------------------------------------------------------------


def test_every_binding_is_checked_and_the_messages_list_what_the_revision_has():
    service = {
        "loadBalancers": [
            {"containerName": "web", "containerPort": 4000},
            {"containerName": "app", "containerPort": 4000},
        ]
    }
    rendered = {"containerDefinitions": [{"name": "app"}, {"name": "proxy"}]}
    assert preflight.load_balancer_problems(None, service, rendered) == [
        "the service sends load balancer traffic to container web, which the new revision "
        "does not have (it has: app, proxy): keep the container name the service was created "
        "with",
        "the service sends load balancer traffic to port 4000 of container app, but the new "
        "revision maps no ports: keep containerPort 4000 in the container's portMappings",
    ]
    nothing = preflight.load_balancer_problems(None, service, {"containerDefinitions": []})
    assert nothing[0] == (
        "the service sends load balancer traffic to container web, which the new revision "
        "does not have (it has: none): keep the container name the service was created with"
    )


def test_a_refused_log_group_look_up_does_not_stop_the_next_containers_check():
    class OneRefused(Logs):
        def paginate(self, logGroupNamePrefix):
            self.asked.append(logGroupNamePrefix)
            if logGroupNamePrefix == "/ecs/first":
                raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "D")
            yield {"logGroups": []}

    logs = OneRefused()
    rendered = {
        "containerDefinitions": [
            container("first", **{"awslogs-group": "/ecs/first"}),
            container("app", **{"awslogs-group": "/ecs/app"}),
        ]
    }
    found = preflight.log_group_problems(logs_clients(logs), rendered)
    assert found[1:] == [missing("/ecs/app", "app")]
    assert logs.asked == ["/ecs/first", "/ecs/app"]
