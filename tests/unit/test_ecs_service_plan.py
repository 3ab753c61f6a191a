"""Plan assertions for modules/ecs-service (its examples/basic root, on a copy)."""

from __future__ import annotations

import json

import hcl2
import pytest
from inventory import Scenario
from plan_helpers import one, resources_by_type

from lmsops import toolchain

EXAMPLE = "modules/ecs-service/examples/basic"
MODULE = toolchain.REPO_ROOT / "modules/ecs-service"
LB_SG = "sg-0123456789abcdef0"
TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lms/0123456789abcdef"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lms/db-AbCdEf"
PARAMETER = "arn:aws:ssm:us-east-1:123456789012:parameter/lms/api-key"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-example-backend:v1"
BASE_VARS = {
    "vpc_id": "vpc-0123456789abcdef0",
    "subnet_ids": ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    "load_balancer_security_group_id": LB_SG,
    "target_group_arn": TG_ARN,
}
SECRETS = {"DATABASE_URL": f"{SECRET}:url::", "API_KEY": PARAMETER}
READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess"
KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
# The module alone (the example fixes some inputs): its defaults and its customer-key inputs.
MODULE_VARS = {
    **BASE_VARS,
    "name": "lms-module-backend",
    "environment": "test",
    "cluster_arn": "arn:aws:ecs:us-east-1:123456789012:cluster/lms-module-backend",
    "image": IMAGE,
    "ecr_kms_key_arn": KMS_KEY,
    "log_kms_key_arn": KMS_KEY,
    "task_role_policy_arns": {"read_assets": READ_ONLY},
    "cpu_architecture": "ARM64",
}

# Image given explicitly so the container definition is known at plan time.
INVENTORY = [
    Scenario("ecs_service_default", EXAMPLE, {**BASE_VARS, "image": IMAGE, "secrets": SECRETS}),
    Scenario("ecs_service_module_kms", "modules/ecs-service", MODULE_VARS),
]


@pytest.fixture(scope="module")
def example(repo_copy):
    return repo_copy / EXAMPLE


@pytest.fixture(scope="module")
def default_plan(inventory):
    """Image given explicitly so the container definition is known at plan time."""
    return inventory.plan("ecs_service_default")


def module_resources(plan_output) -> list[dict]:
    return plan_output.configuration["root_module"]["module_calls"]["ecs_service"]["module"][
        "resources"
    ]


def test_ecr_repository_scans_encrypts_and_keeps_tags_immutable(default_plan):
    repo = one(default_plan, "aws_ecr_repository")
    assert repo["name"] == "lms-example-backend"
    assert repo["image_tag_mutability"] == "IMMUTABLE"
    assert repo["image_scanning_configuration"] == [{"scan_on_push": True}]
    assert repo["encryption_configuration"][0]["encryption_type"] == "KMS"
    assert repo["force_delete"] is False


def test_ecr_lifecycle_expires_untagged_after_a_day_and_keeps_last_tagged(default_plan):
    rules = json.loads(one(default_plan, "aws_ecr_lifecycle_policy")["policy"])["rules"]
    untagged, tagged = sorted(rules, key=lambda rule: rule["rulePriority"])
    assert untagged["selection"] == {
        "tagStatus": "untagged",
        "countType": "sinceImagePushed",
        "countUnit": "days",
        "countNumber": 1,
    }
    assert tagged["selection"]["tagStatus"] == "tagged"
    assert tagged["selection"]["countType"] == "imageCountMoreThan"
    assert tagged["selection"]["countNumber"] == 30
    assert all(rule["action"] == {"type": "expire"} for rule in rules)


def test_service_runs_in_the_cluster_it_is_given(default_plan):
    """The cluster is modules/ecs-cluster's: the service module creates none."""
    assert [r for r in module_resources(default_plan) if r["type"] == "aws_ecs_cluster"] == []
    (service,) = [r for r in module_resources(default_plan) if r["type"] == "aws_ecs_service"]
    assert service["expressions"]["cluster"]["references"] == ["var.cluster_arn"]
    calls = default_plan.configuration["root_module"]["module_calls"]
    given = calls["ecs_service"]["expressions"]["cluster_arn"]["references"]
    assert "module.ecs_cluster.arn" in given
    assert one(default_plan, "aws_ecs_cluster")["name"] == "lms-example-backend"


def test_log_group_names_the_environment(default_plan):
    logs = one(default_plan, "aws_cloudwatch_log_group")
    assert logs["name"] == "/ecs/example/lms-example-backend"
    assert logs["retention_in_days"] == 30


def test_task_definition_is_fargate_awsvpc_with_port_and_awslogs(default_plan):
    task = one(default_plan, "aws_ecs_task_definition")
    assert (task["cpu"], task["memory"]) == ("256", "512")
    assert task["network_mode"] == "awsvpc"
    assert task["requires_compatibilities"] == ["FARGATE"]
    assert task["skip_destroy"] is True
    (container,) = json.loads(task["container_definitions"])
    assert container["name"] == "app"
    assert container["image"] == IMAGE
    assert container["portMappings"][0]["containerPort"] == 4000
    assert container["portMappings"][0]["protocol"] == "tcp"
    assert container["readonlyRootFilesystem"] is True
    assert container["essential"] is True
    # awsvpc: the host port is the container port (ECS refuses anything else at deploy time).
    assert container["portMappings"][0]["hostPort"] == 4000
    assert container["logConfiguration"] == {
        "logDriver": "awslogs",
        "options": {
            "awslogs-group": "/ecs/example/lms-example-backend",
            "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "app",
        },
    }
    assert {"name": "PORT", "value": "4000"} in container["environment"]
    assert container["secrets"] == [
        {"name": "API_KEY", "valueFrom": PARAMETER},
        {"name": "DATABASE_URL", "valueFrom": f"{SECRET}:url::"},
    ]
    assert container["healthCheck"] == {
        "command": ["CMD-SHELL", "wget -qO- http://localhost:4000/health || exit 1"],
        "interval": 30,
        "timeout": 5,
        "retries": 3,
        "startPeriod": 0,
    }
    assert task["runtime_platform"] == [
        {"operating_system_family": "LINUX", "cpu_architecture": "X86_64"}
    ]


def test_service_is_fargate_with_rollback_and_lb_binding(default_plan):
    service = one(default_plan, "aws_ecs_service")
    assert service["launch_type"] == "FARGATE"
    assert service["deployment_circuit_breaker"] == [{"enable": True, "rollback": True}]
    assert service["deployment_minimum_healthy_percent"] == 100
    assert service["deployment_maximum_percent"] == 200
    assert service["health_check_grace_period_seconds"] == 30
    assert service["propagate_tags"] == "SERVICE"
    assert service["availability_zone_rebalancing"] == "ENABLED"
    assert service["platform_version"] == "LATEST"
    assert service["deployment_controller"] == [{"type": "ECS"}]
    assert service["enable_ecs_managed_tags"] is True
    # `terraform apply` does not block on the rollout; lmsops deploy watches it.
    assert service["wait_for_steady_state"] is False
    (binding,) = service["load_balancer"]
    assert binding["target_group_arn"] == TG_ARN
    assert (binding["container_name"], binding["container_port"]) == ("app", 4000)
    network = service["network_configuration"][0]
    assert network["subnets"] == BASE_VARS["subnet_ids"]
    assert network["assign_public_ip"] is True


def test_one_service_ignores_desired_count_and_task_definition(default_plan):
    """Deploys and autoscaling are never undone (see README); behaviour in integration."""
    services = [r for r in module_resources(default_plan) if r["type"] == "aws_ecs_service"]
    assert len(services) == 1
    with (MODULE / "service.tf").open() as handle:
        resources = hcl2.load(handle)["resource"]
    (lifecycle,) = next(r["aws_ecs_service"]["this"] for r in resources if "aws_ecs_service" in r)[
        "lifecycle"
    ]
    ignored = {name.strip("${}") for name in lifecycle["ignore_changes"][0]}
    assert ignored == {"desired_count", "task_definition"}


def test_service_security_group_admits_only_the_load_balancer_on_the_port(default_plan):
    ingress = resources_by_type(default_plan, "aws_vpc_security_group_ingress_rule")
    assert len(ingress) == 1
    (rule,) = ingress
    assert rule["ip_protocol"] == "tcp"
    assert (rule["from_port"], rule["to_port"]) == (4000, 4000)
    assert rule["referenced_security_group_id"] == LB_SG
    assert rule["cidr_ipv4"] is None and rule["cidr_ipv6"] is None
    egress = resources_by_type(default_plan, "aws_vpc_security_group_egress_rule")
    assert [(r["ip_protocol"], r["from_port"], r["to_port"], r["cidr_ipv4"]) for r in egress] == [
        ("tcp", 443, 443, "0.0.0.0/0")
    ]
    group = one(default_plan, "aws_security_group")
    assert group["name_prefix"] == "lms-example-backend-svc-"
    assert group["vpc_id"] == BASE_VARS["vpc_id"]


def test_roles_trust_only_ecs_tasks_and_task_role_has_no_policy(default_plan):
    roles = resources_by_type(default_plan, "aws_iam_role")
    assert sorted(r["name_prefix"] for r in roles) == [
        "lms-example-backend-exec-",
        "lms-example-backend-task-",
    ]
    for role in roles:
        trust = json.loads(role["assume_role_policy"])["Statement"]
        assert [s["Principal"] for s in trust] == [{"Service": "ecs-tasks.amazonaws.com"}]
        assert [s["Action"] for s in trust] == ["sts:AssumeRole"]
        assert trust[0]["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
        # Confused-deputy protection: only ECS resources of this account and region.
        source = trust[0]["Condition"]["ArnLike"]["aws:SourceArn"]
        assert source == "arn:aws:ecs:us-east-1:123456789012:*"
    assert resources_by_type(default_plan, "aws_iam_role_policy_attachment") == []
    assert len(resources_by_type(default_plan, "aws_iam_role_policy")) == 1


def expressions(plan_output, address: str) -> dict:
    return next(r for r in module_resources(plan_output) if r["address"] == address)["expressions"]


def test_tasks_run_in_the_service_group_with_the_roles_of_their_kind(default_plan):
    """Security group and role ARNs are known only after apply: the code they come from."""
    service = expressions(default_plan, "aws_ecs_service.this")
    (network,) = service["network_configuration"]
    assert "aws_security_group.service.id" in network["security_groups"]["references"]
    (binding,) = service["load_balancer"]
    assert binding["target_group_arn"]["references"] == ["var.target_group_arn"]
    task = expressions(default_plan, "aws_ecs_task_definition.this")
    assert "aws_iam_role.execution.arn" in task["execution_role_arn"]["references"]
    assert "aws_iam_role.task.arn" in task["task_role_arn"]["references"]
    execution_policy = expressions(default_plan, "aws_iam_role_policy.execution")
    assert "aws_iam_role.execution.id" in execution_policy["role"]["references"]


def test_execution_role_pulls_from_its_own_repository_and_writes_its_own_logs(default_plan):
    """The execution policy's JSON waits for the repository's ARN; its statements do not."""
    (document,) = [
        r
        for r in module_resources(default_plan)
        if r["address"] == "data.aws_iam_policy_document.execution"
    ]
    statements = {s["sid"]["constant_value"]: s for s in document["expressions"]["statement"]}
    assert set(statements) == {
        "EcrAuthorizationToken",
        "EcrPullFromServiceRepository",
        "WriteServiceLogs",
    }
    token = statements["EcrAuthorizationToken"]
    assert token["actions"]["constant_value"] == ["ecr:GetAuthorizationToken"]
    pull = statements["EcrPullFromServiceRepository"]
    assert sorted(pull["actions"]["constant_value"]) == [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
    ]
    assert "constant_value" not in pull["resources"]  # never "*"
    assert "aws_ecr_repository.this.arn" in pull["resources"]["references"]
    logs = statements["WriteServiceLogs"]
    assert sorted(logs["actions"]["constant_value"]) == [
        "logs:CreateLogStream",
        "logs:PutLogEvents",
    ]
    assert "aws_cloudwatch_log_group.this.arn" in logs["resources"]["references"]


def test_customer_keys_encrypt_the_repository_and_the_logs(inventory):
    planned = inventory.plan("ecs_service_module_kms")
    (encryption,) = one(planned, "aws_ecr_repository")["encryption_configuration"]
    assert encryption == {"encryption_type": "KMS", "kms_key": KMS_KEY}
    logs = one(planned, "aws_cloudwatch_log_group")
    assert (logs["name"], logs["kms_key_id"]) == ("/ecs/test/lms-module-backend", KMS_KEY)


def test_module_defaults_keep_tasks_private_and_tags_immutable(inventory):
    planned = inventory.plan("ecs_service_module_kms")
    service = one(planned, "aws_ecs_service")
    assert service["network_configuration"][0]["assign_public_ip"] is False
    assert service["desired_count"] == 2
    assert service["enable_execute_command"] is False
    assert service["alarms"] == []
    repository = one(planned, "aws_ecr_repository")
    assert (repository["image_tag_mutability"], repository["force_delete"]) == ("IMMUTABLE", False)
    assert one(planned, "aws_cloudwatch_log_group")["retention_in_days"] == 30
    (container,) = json.loads(one(planned, "aws_ecs_task_definition")["container_definitions"])
    assert container["readonlyRootFilesystem"] is True
    assert "healthCheck" not in container


def test_task_role_policies_attach_to_the_task_role_only(inventory):
    planned = inventory.plan("ecs_service_module_kms")
    (attachment,) = resources_by_type(planned, "aws_iam_role_policy_attachment")
    assert attachment["policy_arn"] == READ_ONLY
    (config,) = [
        r
        for r in planned.configuration["root_module"]["resources"]
        if r["address"] == "aws_iam_role_policy_attachment.task"
    ]
    assert "aws_iam_role.task.name" in config["expressions"]["role"]["references"]
    task = one(planned, "aws_ecs_task_definition")
    assert task["runtime_platform"][0]["cpu_architecture"] == "ARM64"


def test_execution_role_reads_exactly_the_secrets_and_keys_it_is_given():
    """Statements that depend on the secrets are dynamic blocks: plans omit them."""
    with (MODULE / "iam.tf").open() as handle:
        data = hcl2.load(handle)["data"]
    (execution,) = [
        d["aws_iam_policy_document"]["execution"]
        for d in data
        if "execution" in d.get("aws_iam_policy_document", {})
    ]
    statements = {}
    for block in execution["dynamic"]:
        (content,) = block["statement"]["content"]
        statements[content["sid"][0] if isinstance(content["sid"], list) else content["sid"]] = (
            content["actions"][0]
            if isinstance(content["actions"], list) and len(content["actions"]) == 1
            else content["actions"],
            content["resources"][0]
            if isinstance(content["resources"], list) and len(content["resources"]) == 1
            else content["resources"],
        )
    assert statements == {
        "ReadSsmParameters": (["ssm:GetParameters"], "${local.parameter_arns}"),
        "ReadSecretsManagerSecrets": (
            ["secretsmanager:GetSecretValue"],
            "${distinct(local.secret_arns)}",
        ),
        "DecryptSecrets": (["kms:Decrypt"], "${var.secrets_kms_key_arns}"),
    }
