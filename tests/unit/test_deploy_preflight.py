"""Deploy preflight against botocore's Stubber: each check passing, and each one failing."""

from __future__ import annotations

import copy
import json
import uuid

import boto3
import pytest
from botocore.stub import Stubber

from lmsops.deploy import preflight
from lmsops.deploy.render import parse_image
from lmsops.errors import UserError

ACCOUNT = "123456789012"
REGISTRY = f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com"
IMAGE = f"{REGISTRY}/lms-backend:4b5c6d7"
CURRENT = f"{REGISTRY}/lms-backend:1a2b3c4"
DIGEST = "sha256:" + "a" * 64
TASK_ROLE = f"arn:aws:iam::{ACCOUNT}:role/lms-dev-task"
EXEC_ROLE = f"arn:aws:iam::{ACCOUNT}:role/lms-dev-execution"
LOG_GROUP = "/ecs/lms-dev"
TARGET_GROUP = (
    f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/lms-dev/0123456789abcdef"
)


def service() -> dict:
    return {
        "serviceName": "lms-dev",
        "serviceArn": f"arn:aws:ecs:us-east-1:{ACCOUNT}:service/lms-dev/lms-dev",
        "loadBalancers": [
            {"targetGroupArn": TARGET_GROUP, "containerName": "app", "containerPort": 4000}
        ],
    }


def rendered(image: str = IMAGE) -> dict:
    return {
        "family": "lms-dev",
        "taskRoleArn": TASK_ROLE,
        "executionRoleArn": EXEC_ROLE,
        "containerDefinitions": [
            {
                "name": "app",
                "image": image,
                "portMappings": [{"containerPort": 4000, "protocol": "tcp"}],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": LOG_GROUP,
                        "awslogs-region": "us-east-1",
                        "awslogs-stream-prefix": "app",
                    },
                },
            }
        ],
    }


class Stubs:
    """One Stubber per client; `expect_*` script the calls a passing check makes."""

    def __init__(self):
        def client(name):
            return boto3.client(
                name, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
            )

        self.clients = preflight.Clients(
            ecr=client("ecr"), iam=client("iam"), logs=client("logs"), elbv2=client("elbv2")
        )
        self.ecr = Stubber(self.clients.ecr)
        self.iam = Stubber(self.clients.iam)
        self.logs = Stubber(self.clients.logs)
        self.elbv2 = Stubber(self.clients.elbv2)
        self.all = (self.ecr, self.iam, self.logs, self.elbv2)

    def expect_image(self, image_id=None, tags=("4b5c6d7",)):
        self.ecr.add_response(
            "describe_images",
            {
                "imageDetails": [
                    {"repositoryName": "lms-backend", "imageDigest": DIGEST, "imageTags": [*tags]}
                ]
            },
            {
                "registryId": ACCOUNT,
                "repositoryName": "lms-backend",
                "imageIds": [image_id or {"imageTag": "4b5c6d7"}],
            },
        )

    def expect_role(self, name):
        self.iam.add_response(
            "get_role",
            {
                "Role": {
                    "Path": "/",
                    "RoleName": name,
                    "RoleId": "AROAEXAMPLEEXAMPLE1",
                    "Arn": f"arn:aws:iam::{ACCOUNT}:role/{name}",
                    "CreateDate": "2026-11-25T12:00:00Z",
                }
            },
            {"RoleName": name},
        )

    def expect_roles(self):
        self.expect_role("lms-dev-task")
        self.expect_role("lms-dev-execution")

    def expect_log_group(self, names=(LOG_GROUP,)):
        self.logs.add_response(
            "describe_log_groups",
            {"logGroups": [{"logGroupName": name} for name in names]},
            {"logGroupNamePrefix": LOG_GROUP},
        )

    def expect_target_group(self, port=4000):
        self.elbv2.add_response(
            "describe_target_groups",
            {"TargetGroups": [{"TargetGroupArn": TARGET_GROUP, "Port": port}]},
            {"TargetGroupArns": [TARGET_GROUP]},
        )

    def expect_all_but(self, *skipped):
        steps = {
            "image": self.expect_image,
            "roles": self.expect_roles,
            "log_group": self.expect_log_group,
            "target_group": self.expect_target_group,
        }
        for name, step in steps.items():
            if name not in skipped:
                step()

    def __enter__(self):
        for stub in self.all:
            stub.activate()
        return self

    def __exit__(self, *exc):
        for stub in self.all:
            stub.deactivate()


@pytest.fixture
def stubs():
    with Stubs() as s:
        yield s
        for stub in s.all:
            stub.assert_no_pending_responses()


def run(stubs, image=IMAGE, svc=None, task_definition=None, **kwargs):
    return preflight.problems(
        stubs.clients,
        svc or service(),
        task_definition or rendered(image),
        parse_image(image),
        **kwargs,
    )


def test_everything_in_place_is_no_problem(stubs):
    stubs.expect_all_but()
    assert run(stubs, current_image=CURRENT) == []


def test_a_tag_missing_from_ecr_is_a_problem_naming_the_push(stubs, monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    stubs.ecr.add_client_error(
        "describe_images",
        "ImageNotFoundException",
        "The image with imageId {imageTag:'4b5c6d7'} does not exist",
    )
    stubs.expect_all_but("image")
    assert run(stubs) == [
        f"image {IMAGE} is not in ECR (lms-backend has no tag 4b5c6d7): push it first "
        f"(docker push {IMAGE}) or deploy a tag that was pushed"
    ]


@pytest.mark.parametrize("endpoint", ["https://127.0.0.1:4566", "http://localhost:5000"])
def test_a_tag_missing_from_the_emulators_ecr_also_names_emulator_push_image(
    stubs, monkeypatch, endpoint
):
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    stubs.ecr.add_client_error("describe_images", "ImageNotFoundException", "no such image")
    stubs.expect_all_but("image")
    assert run(stubs) == [
        f"image {IMAGE} is not in ECR (lms-backend has no tag 4b5c6d7): push it first "
        f"(docker push {IMAGE}; on the local emulator: lmsops emulator push-image {IMAGE}) "
        "or deploy a tag that was pushed"
    ]


def test_a_digest_is_looked_up_by_digest_and_must_carry_the_tag(stubs):
    image = f"{REGISTRY}/lms-backend:4b5c6d7@{DIGEST}"
    stubs.expect_image({"imageDigest": DIGEST}, tags=("other",))
    stubs.expect_all_but("image")
    found = run(stubs, image)
    assert len(found) == 1
    assert f"digest {DIGEST} exists in lms-backend but is not tagged 4b5c6d7" in found[0]


def test_a_missing_repository_is_a_problem(stubs):
    stubs.ecr.add_client_error("describe_images", "RepositoryNotFoundException", "no repo")
    stubs.expect_all_but("image")
    assert run(stubs) == [
        f"ECR repository lms-backend does not exist in account {ACCOUNT}: check the image "
        "name, or apply the service's Terraform root to create it"
    ]


@pytest.mark.parametrize(
    "image",
    [
        "docker.io/library/nginx:1.27",
        "nginx:1.27",
        "210987654321.dkr.ecr.us-east-1.amazonaws.com/lms-backend:4b5c6d7",
        f"{ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/lms-backend:4b5c6d7",
    ],
)
def test_an_image_outside_our_registry_is_refused_unless_allowed(stubs, image):
    stubs.expect_all_but("image")
    refused = run(stubs, image)
    assert len(refused) == 1
    assert refused[0].startswith(f"image {image} is not in this account's ECR registry {REGISTRY}")
    assert "--allow-external-image" in refused[0]

    stubs.expect_all_but("image")
    assert run(stubs, image, allow_external_image=True) == []


def test_another_repository_of_ours_is_refused_unless_allowed(stubs):
    image = f"{REGISTRY}/lms-frontend:4b5c6d7"
    stubs.expect_all_but("image")
    refused = run(stubs, image, current_image=CURRENT)
    assert len(refused) == 1
    assert (
        "is in ECR repository lms-frontend, but the service runs images of lms-backend"
        in (refused[0])
    )

    stubs.ecr.add_response(
        "describe_images",
        {"imageDetails": [{"imageTags": ["4b5c6d7"]}]},
        {
            "registryId": ACCOUNT,
            "repositoryName": "lms-frontend",
            "imageIds": [{"imageTag": "4b5c6d7"}],
        },
    )
    stubs.expect_all_but("image")
    assert run(stubs, image, current_image=CURRENT, allow_external_image=True) == []


def test_missing_roles_are_problems_each(stubs):
    stubs.expect_image()
    stubs.iam.add_client_error("get_role", "NoSuchEntity", "role not found", 404)
    stubs.iam.add_client_error("get_role", "NoSuchEntity", "role not found", 404)
    stubs.expect_all_but("image", "roles")
    found = run(stubs)
    assert [p.split(" (")[0] for p in found] == [
        f"task role {TASK_ROLE}",
        f"execution role {EXEC_ROLE}",
    ]
    assert all("does not exist: apply the service's Terraform root" in p for p in found)


def test_a_role_check_refused_names_the_permission(stubs):
    stubs.expect_image()
    stubs.iam.add_client_error("get_role", "AccessDenied", "not authorized", 403)
    stubs.expect_role("lms-dev-execution")
    stubs.expect_all_but("image", "roles")
    assert run(stubs) == [
        f"could not check task role {TASK_ROLE}: AWS answered AccessDenied: not authorized; "
        "allow iam:GetRole to the deploying identity"
    ]


def test_a_missing_log_group_is_a_problem(stubs):
    # A prefix match is not the group: /ecs/lms-dev-old does not count.
    stubs.expect_all_but("log_group")
    stubs.expect_log_group(names=(f"{LOG_GROUP}-old",))
    found = run(stubs)
    assert len(found) == 1
    assert found[0].startswith(
        f"log group {LOG_GROUP} in us-east-1 (awslogs-group of container app)"
    )
    assert f"aws logs create-log-group --log-group-name {LOG_GROUP}" in found[0]


def test_a_log_group_created_on_first_use_is_not_looked_up(stubs):
    task_definition = rendered()
    options = task_definition["containerDefinitions"][0]["logConfiguration"]["options"]
    options["awslogs-create-group"] = "true"
    stubs.expect_all_but("log_group")
    assert run(stubs, task_definition=task_definition) == []


def test_a_log_group_in_another_region_uses_that_regions_client():
    calls = []
    with Stubs() as s:
        other = boto3.client(
            "logs", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        clients = preflight.Clients(
            s.clients.ecr,
            s.clients.iam,
            s.clients.logs,
            s.clients.elbv2,
            logs_in=lambda region: calls.append(region) or other,
        )
        task_definition = rendered()
        options = task_definition["containerDefinitions"][0]["logConfiguration"]["options"]
        options["awslogs-region"] = "eu-west-1"
        s.expect_all_but("log_group")
        with Stubber(other) as other_stub:
            other_stub.add_response(
                "describe_log_groups", {"logGroups": []}, {"logGroupNamePrefix": LOG_GROUP}
            )
            found = preflight.problems(clients, service(), task_definition, parse_image(IMAGE))
    assert calls == ["eu-west-1"]
    assert len(found) == 1
    assert found[0].startswith(f"log group {LOG_GROUP} in eu-west-1")


def test_a_load_balanced_container_missing_from_the_revision_is_a_problem(stubs):
    task_definition = rendered()
    task_definition["containerDefinitions"][0]["name"] = "web"
    stubs.expect_all_but("target_group")
    assert run(stubs, task_definition=task_definition) == [
        "the service sends load balancer traffic to container app, which the new revision "
        "does not have (it has: web): keep the container name the service was created with"
    ]


def test_a_container_port_the_revision_does_not_map_is_a_problem(stubs):
    task_definition = rendered()
    task_definition["containerDefinitions"][0]["portMappings"] = [{"containerPort": 8080}]
    stubs.expect_all_but()
    assert run(stubs, task_definition=task_definition) == [
        "the service sends load balancer traffic to port 4000 of container app, but the new "
        "revision maps [8080]: keep containerPort 4000 in the container's portMappings"
    ]


def test_a_target_group_on_another_port_is_a_problem(stubs):
    stubs.expect_all_but("target_group")
    stubs.expect_target_group(port=80)
    found = run(stubs)
    assert len(found) == 1
    assert f"target group {TARGET_GROUP} forwards to port 80, but the service binds" in found[0]


def test_a_missing_target_group_is_a_problem(stubs):
    stubs.expect_all_but("target_group")
    stubs.elbv2.add_client_error("describe_target_groups", "TargetGroupNotFound", "gone", 400)
    found = run(stubs)
    assert found == [
        f"target group {TARGET_GROUP} of the service does not exist: apply the environment's "
        "backend Terraform root to recreate it"
    ]


def test_verify_raises_one_user_error_listing_every_problem(stubs):
    stubs.ecr.add_client_error("describe_images", "ImageNotFoundException", "missing")
    stubs.iam.add_client_error("get_role", "NoSuchEntity", "role not found", 404)
    stubs.expect_role("lms-dev-execution")
    stubs.expect_all_but("image", "roles")
    with pytest.raises(UserError) as error:
        preflight.verify(stubs.clients, service(), rendered(), parse_image(IMAGE))
    message = str(error.value)
    assert error.value.exit_code == 2
    assert message.startswith("preflight found 2 problem(s); nothing was registered or changed:")
    assert message.count("\n  - ") == 2


def test_verify_returns_quietly_when_nothing_is_wrong(stubs):
    stubs.expect_all_but()
    before = rendered()
    task_definition = copy.deepcopy(before)
    assert preflight.verify(stubs.clients, service(), task_definition, parse_image(IMAGE)) is None
    assert task_definition == before


def test_preflight_on_the_emulator_finds_what_is_missing(emulator):
    session = boto3.session.Session()
    ecs, ecr, iam, logs, elbv2, ec2 = (
        session.client(n) for n in ("ecs", "ecr", "iam", "logs", "elbv2", "ec2")
    )
    name = f"pre-{uuid.uuid4().hex[:8]}"
    ecr.create_repository(repositoryName=name)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"digest": "sha256:" + "e" * 64, "size": 1},
        "layers": [{"digest": "sha256:" + uuid.uuid4().hex * 2, "size": 1}],
    }
    ecr.put_image(repositoryName=name, imageTag="v1", imageManifest=json.dumps(manifest))
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    roles = {
        kind: iam.create_role(
            RoleName=f"{name}-{kind}", AssumeRolePolicyDocument=json.dumps(trust)
        )["Role"]["Arn"]
        for kind in ("task", "execution")
    }
    logs.create_log_group(logGroupName=f"/ecs/{name}")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    group = elbv2.create_target_group(
        Name=name, Protocol="HTTP", Port=4000, VpcId=vpc["VpcId"], TargetType="ip"
    )["TargetGroups"][0]["TargetGroupArn"]
    image = f"{REGISTRY}/{name}:v1"
    task_definition = rendered(image)
    task_definition |= {"taskRoleArn": roles["task"], "executionRoleArn": roles["execution"]}
    options = task_definition["containerDefinitions"][0]["logConfiguration"]["options"]
    options["awslogs-group"] = f"/ecs/{name}"
    task_definition["containerDefinitions"][0]["memory"] = 128
    ecs.create_cluster(clusterName=name)
    arn = ecs.register_task_definition(**task_definition)["taskDefinition"]["taskDefinitionArn"]
    ecs.create_service(
        cluster=name,
        serviceName=name,
        taskDefinition=arn,
        desiredCount=1,
        loadBalancers=[{"targetGroupArn": group, "containerName": "app", "containerPort": 4000}],
    )
    described = ecs.describe_services(cluster=name, services=[name])["services"][0]
    clients = preflight.Clients.from_session(session)

    assert preflight.problems(clients, described, task_definition, parse_image(image)) == []

    iam.delete_role(RoleName=f"{name}-task")
    logs.delete_log_group(logGroupName=f"/ecs/{name}")
    elbv2.delete_target_group(TargetGroupArn=group)
    missing = f"{REGISTRY}/{name}:v2"
    new_revision = copy.deepcopy(task_definition)
    new_revision["containerDefinitions"][0]["image"] = missing
    found = preflight.problems(
        clients, described, new_revision, parse_image(missing), current_image=image
    )
    assert [problem.split(" ", 2)[:2] for problem in found] == [
        ["image", missing],
        ["task", "role"],
        ["log", "group"],
        ["target", "group"],
    ]


def test_rollback_checks_only_the_images_it_changes():
    stubs = Stubs()
    sidecar = {"name": "proxy", "image": "public.ecr.aws/nginx/nginx:1.27"}
    current = rendered(CURRENT)
    current["containerDefinitions"].append(sidecar)
    target = rendered(IMAGE)
    target["containerDefinitions"].append(sidecar)  # unchanged: external, yet not refused
    stubs.expect_image()
    with stubs.ecr:
        assert (
            preflight.rollback_image_problems(stubs.clients.ecr, service(), current, target) == []
        )
    stubs.ecr.assert_no_pending_responses()
    changed_sidecar = {"containerDefinitions": [{**sidecar, "image": "docker.io/nginx:1.25"}]}
    changed_sidecar["taskDefinitionArn"] = "arn:aws:ecs:us-east-1:123456789012:task-definition/x:1"
    with pytest.raises(UserError, match=r"rollback target .*x:1; .*\n  - image docker.io/nginx"):
        preflight.verify_rollback(stubs.clients.ecr, service(), current, changed_sidecar)
