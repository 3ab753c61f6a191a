"""Each rule of modules/ecs-service refuses a value just past it and accepts the edge.

Every case is one instance of the module in the plan inventory's failures root
(tests/inventory.py), planned with every other file's cases. How to add a case:
tests/lint/test_validation_coverage.py.
"""

from __future__ import annotations

import pytest
from inventory import Failures
from plan_helpers import BadInput, Harness, assert_case, case_params

ELB = "arn:aws:elasticloadbalancing:us-east-1:123456789012"
ECS = "arn:aws:ecs:us-east-1:123456789012"
HARNESS = Harness(
    source="modules/ecs-service",
    base={
        "name": "lms-test-backend",
        "environment": "test",
        "cluster_arn": f"{ECS}:cluster/lms-test-backend",
        "vpc_id": "vpc-0123456789abcdef0",
        "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
        "load_balancer_security_group_id": "sg-0123456789abcdef0",
        "target_group_arn": f"{ELB}:targetgroup/lms/0a1b",
    },
)
KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KMS_ALIAS = "arn:aws:kms:us-east-1:111122223333:alias/lms"
PARAMETER = "arn:aws:ssm:us-east-1:111122223333:parameter/lms/db-url"
POLICY = "arn:aws:iam::111122223333:policy/lms-read-assets"
DIGEST = "sha256:" + "a" * 64
SUBNETS = [f"subnet-0{n:016x}" for n in range(17)]
NAME = "name must be 1-32 characters"
KEEP = "ecr_keep_tagged_images must be a whole number from 1 to 10000"
IMAGE = "image must be null or an image reference of at most 255 characters"
TAG = "image_tag must be a valid Docker tag"
CONTAINER = "container_name must be 1-255"
PORT = "container_port must be a whole number from 1 to 65535"
MEMORY = "memory must be a whole number of MiB from 512 to 122880"
RETENTION = "log_retention_days must be one of the values CloudWatch Logs accepts"
ALARM_NAMES = "deployment_alarm_names must hold CloudWatch alarm names of 1-255 characters"
ENV_NAMES = "environment_variables names must be 1-255 letters, digits and underscores"
HC_COMMAND = "container_health_check command must be CMD or CMD-SHELL"
HC_INTERVAL = "container_health_check interval must be a whole number of seconds from 5 to 300"
HC_TIMEOUT = "container_health_check timeout must be a whole number of seconds from 2 to 120"
HC_RETRIES = "container_health_check retries must be a whole number from 1 to 10"
HC_START = "container_health_check start_period must be a whole number of seconds from 0 to 300"
POLICIES = "task_role_policy_arns values must be IAM policy ARNs"
SUBNET_COUNT = (
    "subnet_ids must list at least two subnets (in different Availability Zones) and at most 16"
)
EGRESS = "egress_https_cidr_blocks must hold at least one IPv4 network in CIDR notation"
TARGET_GROUP = "target_group_arn must be a target group ARN"
CLUSTER = "cluster_arn must be an ECS cluster ARN (not its name)"
DESIRED = "desired_count must be a whole number of tasks from 0 to 5000"
GRACE = "health_check_grace_period_seconds must be a whole number of seconds from 0 to 2147483647"
TAG_PREFIX = "tags keys must not start with aws:"
TAG_SHAPE = "tags keys must be 1-128 and values at most 256 characters"


def health_check(**settings) -> dict:
    return {"container_health_check": {"command": ["CMD-SHELL", "exit 0"], **settings}}


CASES = [
    BadInput("good-defaults", {}, None),
    BadInput("name-upper-case", {"name": "Lms"}, NAME),
    BadInput("name-leading-digit", {"name": "1lms"}, NAME),
    BadInput("name-trailing-hyphen", {"name": "lms-"}, NAME),
    BadInput("name-too-long", {"name": "a" * 33}, NAME),
    BadInput("name-edges", {"name": "a" * 32}, None),
    BadInput(
        "environment-upper-case", {"environment": "Prod"}, "environment must be 1-16 characters"
    ),
    BadInput(
        "environment-too-long", {"environment": "e" * 17}, "environment must be 1-16 characters"
    ),
    BadInput("environment-longest", {"environment": "e" * 16}, None),
    BadInput(
        "mutability",
        {"image_tag_mutability": "immutable"},
        "image_tag_mutability must be IMMUTABLE or MUTABLE",
    ),
    BadInput("keep-zero", {"ecr_keep_tagged_images": 0}, KEEP),
    BadInput("keep-fraction", {"ecr_keep_tagged_images": 2.5}, KEEP),
    BadInput("keep-too-many", {"ecr_keep_tagged_images": 10001}, KEEP),
    BadInput("keep-lowest", {"ecr_keep_tagged_images": 1}, None),
    BadInput("keep-highest", {"ecr_keep_tagged_images": 10000}, None),
    BadInput(
        "ecr-kms-alias",
        {"ecr_kms_key_arn": KMS_ALIAS},
        "ecr_kms_key_arn must be null or a KMS key ARN",
    ),
    BadInput(
        "ecr-kms-key-id",
        {"ecr_kms_key_arn": "1234abcd-12ab-34cd-56ef-1234567890ab"},
        "ecr_kms_key_arn must be null or a KMS key ARN",
    ),
    BadInput("retention-45", {"log_retention_days": 45}, RETENTION),
    BadInput("retention-zero", {"log_retention_days": 0}, RETENTION),
    BadInput("retention-too-long", {"log_retention_days": 3654}, RETENTION),
    BadInput("retention-lowest", {"log_retention_days": 1}, None),
    BadInput("retention-highest", {"log_retention_days": 3653}, None),
    BadInput(
        "log-kms-alias",
        {"log_kms_key_arn": "alias/lms-logs"},
        "log_kms_key_arn must be null or a KMS key ARN",
    ),
    BadInput(
        "kms-keys",
        {"ecr_kms_key_arn": KMS_KEY, "log_kms_key_arn": KMS_KEY, "secrets_kms_key_arns": [KMS_KEY]},
        None,
    ),
    BadInput("image-space", {"image": "lms backend:1.0"}, IMAGE),
    BadInput("image-upper-case-repository", {"image": "ghcr.io/Acme/LMS:1.0"}, IMAGE),
    BadInput("image-empty-tag", {"image": "lms-backend:"}, IMAGE),
    BadInput("image-too-long", {"image": "r" * 252 + ":1.0"}, IMAGE),
    BadInput("image-longest", {"image": "r" * 251 + ":1.0"}, None),
    BadInput(
        "image-ecr",
        {"image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend:1.4.2"},
        None,
    ),
    BadInput("image-registry-port-digest", {"image": f"localhost:5000/lms/backend@{DIGEST}"}, None),
    BadInput("image-docker-hub", {"image": "nginx"}, None),
    BadInput("image-tag-leading-period", {"image_tag": ".latest"}, TAG),
    BadInput("image-tag-too-long", {"image_tag": "t" * 129}, TAG),
    BadInput("image-tag-longest", {"image_tag": "t" * 128}, None),
    BadInput("container-name-leading-hyphen", {"container_name": "-app"}, CONTAINER),
    BadInput("container-name-too-long", {"container_name": "c" * 256}, CONTAINER),
    BadInput("container-name-longest", {"container_name": "c" * 255}, None),
    BadInput("port-zero", {"container_port": 0}, PORT),
    BadInput("port-too-high", {"container_port": 65536}, PORT),
    BadInput("port-fraction", {"container_port": 4000.5}, PORT),
    BadInput("port-edges", {"container_port": 65535}, None),
    BadInput("port-lowest", {"container_port": 1}, None),
    BadInput("cpu-300", {"cpu": 300}, "cpu must be one of Fargate's CPU values"),
    BadInput("memory-too-low", {"memory": 511}, MEMORY),
    BadInput("memory-too-high", {"cpu": 16384, "memory": 122881}, MEMORY),
    BadInput("memory-fraction", {"memory": 512.5}, MEMORY),
    BadInput("memory-highest", {"cpu": 16384, "memory": 122880}, None),
    BadInput(
        "architecture", {"cpu_architecture": "amd64"}, "cpu_architecture must be X86_64 or ARM64"
    ),
    BadInput("env-name-leading-digit", {"environment_variables": {"1PORT": "4000"}}, ENV_NAMES),
    BadInput("env-name-hyphen", {"environment_variables": {"NODE-ENV": "production"}}, ENV_NAMES),
    BadInput("env-name-longest", {"environment_variables": {"E" * 255: "x"}}, None),
    BadInput("env-name-too-long", {"environment_variables": {"E" * 256: "x"}}, ENV_NAMES),
    BadInput(
        "secret-url",
        {"secrets": {"DB": "postgres://user:pw@db"}},
        "secrets values must be SSM parameter ARNs",
    ),
    BadInput(
        "secret-name-hyphen",
        {"secrets": {"db-url": PARAMETER}},
        "secrets names must be 1-255 letters",
    ),
    BadInput("secret-parameter", {"secrets": {"DATABASE_URL": PARAMETER}}, None),
    BadInput(
        "secret-name-too-long", {"secrets": {"S" * 256: PARAMETER}}, "secrets names must be 1-255"
    ),
    BadInput("secret-name-longest", {"secrets": {"S" * 255: PARAMETER}}, None),
    BadInput(
        "secrets-kms-alias",
        {"secrets_kms_key_arns": ["alias/lms-secrets"]},
        "secrets_kms_key_arns must hold KMS key ARNs",
    ),
    BadInput(
        "hc-command-no-prefix",
        {"container_health_check": {"command": ["curl", "-f", "localhost"]}},
        HC_COMMAND,
    ),
    BadInput(
        "hc-command-alone", {"container_health_check": {"command": ["CMD-SHELL"]}}, HC_COMMAND
    ),
    BadInput("hc-interval-low", health_check(interval=4), HC_INTERVAL),
    BadInput("hc-interval-high", health_check(interval=301), HC_INTERVAL),
    BadInput("hc-timeout-low", health_check(timeout=1), HC_TIMEOUT),
    BadInput("hc-timeout-high", health_check(timeout=121), HC_TIMEOUT),
    BadInput("hc-retries-low", health_check(retries=0), HC_RETRIES),
    BadInput("hc-retries-high", health_check(retries=11), HC_RETRIES),
    BadInput("hc-retries-fraction", health_check(retries=2.5), HC_RETRIES),
    BadInput("hc-start-low", health_check(start_period=-1), HC_START),
    BadInput("hc-start-high", health_check(start_period=301), HC_START),
    BadInput("hc-lowest", health_check(interval=5, timeout=2, retries=1, start_period=0), None),
    BadInput(
        "hc-highest", health_check(interval=300, timeout=120, retries=10, start_period=300), None
    ),
    BadInput("policy-name", {"task_role_policy_arns": {"read": "ReadOnlyAccess"}}, POLICIES),
    BadInput(
        "policies-too-many",
        {"task_role_policy_arns": {f"p{n}": POLICY for n in range(21)}},
        "task_role_policy_arns must hold at most 20 policies",
    ),
    BadInput(
        "policies-most",
        {
            "task_role_policy_arns": {f"p{n}": POLICY for n in range(19)}
            | {"aws": "arn:aws:iam::aws:policy/ReadOnlyAccess"}
        },
        None,
    ),
    BadInput("vpc-id", {"vpc_id": "default"}, "vpc_id must be a VPC ID"),
    BadInput("subnets-one", {"subnet_ids": SUBNETS[:1]}, SUBNET_COUNT),
    BadInput("subnets-too-many", {"subnet_ids": SUBNETS}, SUBNET_COUNT),
    BadInput("subnets-most", {"subnet_ids": SUBNETS[:16]}, None),
    BadInput(
        "subnets-names",
        {"subnet_ids": ["private-a", "private-b"]},
        "subnet_ids must hold subnet IDs",
    ),
    BadInput(
        "subnets-duplicated",
        {"subnet_ids": SUBNETS[:1] * 2},
        "subnet_ids must not list the same subnet twice",
    ),
    BadInput("egress-ipv6", {"egress_https_cidr_blocks": ["::/0"]}, EGRESS),
    BadInput("egress-host-bits", {"egress_https_cidr_blocks": ["10.0.0.1/16"]}, EGRESS),
    BadInput("egress-empty", {"egress_https_cidr_blocks": []}, EGRESS),
    BadInput("egress-network", {"egress_https_cidr_blocks": ["10.0.0.0/16"]}, None),
    BadInput(
        "lb-sg-name",
        {"load_balancer_security_group_id": "lms-alb"},
        "load_balancer_security_group_id must be a security group ID",
    ),
    BadInput("cluster-name", {"cluster_arn": "lms-test-backend"}, CLUSTER),
    BadInput("cluster-is-service", {"cluster_arn": f"{ECS}:service/lms/lms"}, CLUSTER),
    BadInput("cluster-space", {"cluster_arn": f"{ECS}:cluster/lms backend"}, CLUSTER),
    BadInput("cluster-name-too-long", {"cluster_arn": f"{ECS}:cluster/{'c' * 256}"}, CLUSTER),
    BadInput("cluster-name-longest", {"cluster_arn": f"{ECS}:cluster/{'c' * 255}"}, None),
    BadInput(
        "cluster-gov-partition",
        {"cluster_arn": "arn:aws-us-gov:ecs:us-gov-west-1:123456789012:cluster/lms_backend"},
        None,
    ),
    BadInput("target-group-name", {"target_group_arn": "lms-api"}, TARGET_GROUP),
    BadInput(
        "target-group-is-load-balancer",
        {"target_group_arn": f"{ELB}:loadbalancer/app/lms/0a1b"},
        TARGET_GROUP,
    ),
    BadInput("desired-negative", {"desired_count": -1}, DESIRED),
    BadInput("desired-too-many", {"desired_count": 5001}, DESIRED),
    BadInput("desired-fraction", {"desired_count": 1.5}, DESIRED),
    BadInput("desired-lowest", {"desired_count": 0}, None),
    BadInput("desired-highest", {"desired_count": 5000}, None),
    BadInput("grace-negative", {"health_check_grace_period_seconds": -1}, GRACE),
    BadInput("grace-too-long", {"health_check_grace_period_seconds": 2147483648}, GRACE),
    BadInput("grace-fraction", {"health_check_grace_period_seconds": 1.5}, GRACE),
    BadInput("grace-highest", {"health_check_grace_period_seconds": 2147483647}, None),
    BadInput("grace-lowest", {"health_check_grace_period_seconds": 0}, None),
    BadInput("tag-aws-prefix", {"tags": {"aws:team": "lms"}}, TAG_PREFIX),
    BadInput("tag-key-empty", {"tags": {"": "lms"}}, TAG_SHAPE),
    BadInput("tag-key-too-long", {"tags": {"k" * 129: "lms"}}, TAG_SHAPE),
    BadInput("tag-value-too-long", {"tags": {"Team": "v" * 257}}, TAG_SHAPE),
    BadInput("tag-longest", {"tags": {"k" * 128: "v" * 256}}, None),
    BadInput("tag-character", {"tags": {"Team": "lms!"}}, TAG_SHAPE),
    BadInput("alarm-name-empty", {"deployment_alarm_names": [""]}, ALARM_NAMES),
    BadInput("alarm-name-too-long", {"deployment_alarm_names": ["a" * 256]}, ALARM_NAMES),
    BadInput(
        "alarm-names-edges",
        {"deployment_alarms_enabled": True, "deployment_alarm_names": ["a", "a" * 255]},
        None,
    ),
    # Preconditions: rules across variables.
    BadInput(
        "cpu-memory-pair",
        {"cpu": 256, "memory": 4096},
        "cpu and memory must be a combination Fargate accepts: "
        "cpu 256 takes memory 512, 1024 or 2048",
    ),
    BadInput(
        "name-in-environment-and-secrets",
        {"environment_variables": {"DATABASE_URL": "x"}, "secrets": {"DATABASE_URL": PARAMETER}},
        "environment_variables and secrets must not define the same name",
    ),
    BadInput(
        "alarms-enabled-without-names",
        {"deployment_alarms_enabled": True, "deployment_alarm_names": []},
        "deployment_alarm_names must name at least one alarm when deployment_alarms_enabled",
    ),
]


INVENTORY = [Failures("ecs_service", HARNESS, CASES)]


@pytest.fixture(scope="module")
def errors(inventory):
    return inventory.errors("ecs_service")


@pytest.mark.parametrize("case", case_params(CASES))
def test_rule(errors, case):
    assert_case(errors, case)
