"""Rendering a new task-definition revision: image references, allow-list, tags, diff."""

from __future__ import annotations

import datetime as dt

import boto3
import pytest

from lmsops.deploy import ecs, render
from lmsops.errors import UserError

ECR = "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend"
DIGEST = "sha256:" + "ab" * 32


def described_revision() -> dict:
    """What describe_task_definition returns, including fields register does not accept."""
    return {
        "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/lms-dev:7",
        "family": "lms-dev",
        "revision": 7,
        "status": "ACTIVE",
        "registeredAt": dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        "registeredBy": "arn:aws:iam::123456789012:role/ci",
        "compatibilities": ["EC2", "FARGATE"],
        "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"}],
        "requiresCompatibilities": ["FARGATE"],
        "networkMode": "awsvpc",
        "cpu": "256",
        "memory": "512",
        "executionRoleArn": "arn:aws:iam::123456789012:role/lms-dev-execution",
        "taskRoleArn": "arn:aws:iam::123456789012:role/lms-dev-task",
        "containerDefinitions": [
            {
                "name": "app",
                "image": f"{ECR}:old",
                "essential": True,
                "portMappings": [{"containerPort": 4000, "protocol": "tcp"}],
                "environment": [{"name": "NODE_ENV", "value": "production"}],
                "secrets": [{"name": "DB_URL", "valueFrom": "arn:aws:ssm:us-east-1:1:parameter/x"}],
            },
            {"name": "sidecar", "image": "public.ecr.aws/xray/aws-xray-daemon:3.3"},
        ],
        "volumes": [],
        "placementConstraints": [],
    }


@pytest.fixture(scope="module")
def allowed() -> tuple[str, ...]:
    client = boto3.client(
        "ecs", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    return ecs.register_fields(client)


@pytest.mark.parametrize(
    "text",
    [
        f"{ECR}:3f2a9c1",
        f"{ECR}@{DIGEST}",
        f"{ECR}:v1.2.3@{DIGEST}",
        "localhost:5000/team/app:latest",
        "registry:5000/app:1",
        "library/nginx:1.27",
    ],
)
def test_image_references_with_tag_or_digest_are_accepted(text):
    assert render.parse_image(text).text == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"{ECR}", "neither a tag nor a digest"),
        (f"{ECR}:", "malformed"),
        (f"{ECR}@sha256:abc", "malformed"),
        (f"{ECR}:bad tag", "malformed"),
        ("UPPER/case:1", "malformed"),
        (f"https://{ECR}:1", "malformed"),
        ("", "malformed"),
    ],
)
def test_malformed_image_references_are_user_errors(text, message):
    with pytest.raises(UserError, match=message):
        render.parse_image(text)


def test_image_parts_are_split():
    ref = render.parse_image(f"{ECR}:v1@{DIGEST}")
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (
        "123456789012.dkr.ecr.us-east-1.amazonaws.com",
        "lms-backend",
        "v1",
        DIGEST,
    )


def test_allow_list_is_the_register_input_shape(allowed):
    assert {"family", "containerDefinitions", "cpu", "memory", "tags"} <= set(allowed)
    assert not {"revision", "status", "registeredAt", "compatibilities"} & set(allowed)


def test_register_input_drops_describe_only_fields_and_keeps_the_rest(allowed):
    described = described_revision()
    kept = render.register_input(described, [], allowed)
    dropped = {
        "taskDefinitionArn",
        "revision",
        "status",
        "registeredAt",
        "registeredBy",
        "compatibilities",
        "requiresAttributes",
    }
    assert set(kept) == set(described) - dropped
    assert kept["containerDefinitions"] == described["containerDefinitions"]
    assert "tags" not in kept


def test_tags_are_carried_over_when_present(allowed):
    tags = [{"key": "Environment", "value": "dev"}]
    assert render.register_input(described_revision(), tags, allowed)["tags"] == tags


def test_render_changes_only_the_named_containers_image(allowed):
    source = render.register_input(described_revision(), [{"key": "a", "value": "b"}], allowed)
    rendered = render.render(source, "app", f"{ECR}:new")
    assert rendered["containerDefinitions"][0]["image"] == f"{ECR}:new"
    assert source["containerDefinitions"][0]["image"] == f"{ECR}:old"  # source untouched
    rendered["containerDefinitions"][0]["image"] = f"{ECR}:old"
    assert rendered == source


def test_env_var_changes_replace_existing_and_append_new(allowed):
    source = render.register_input(described_revision(), [], allowed)
    rendered = render.render(source, "app", f"{ECR}:new", {"NODE_ENV": "staging", "FEATURE": "on"})
    assert rendered["containerDefinitions"][0]["environment"] == [
        {"name": "NODE_ENV", "value": "staging"},
        {"name": "FEATURE", "value": "on"},
    ]
    assert rendered["containerDefinitions"][1] == source["containerDefinitions"][1]


@pytest.mark.parametrize("item", ["NOEQUALS", "1BAD=x", "=x", "WITH SPACE=x"])
def test_malformed_env_vars_are_user_errors(item):
    with pytest.raises(UserError, match="KEY=VALUE"):
        render.parse_env_vars([item])


def test_env_var_value_may_contain_equals_or_be_empty():
    assert render.parse_env_vars(["A=b=c", "EMPTY="]) == {"A": "b=c", "EMPTY": ""}


def test_container_must_exist_and_be_unambiguous():
    described = described_revision()
    assert render.choose_container(described, "sidecar") == "sidecar"
    with pytest.raises(UserError, match=r"container 'web' not found .* app, sidecar"):
        render.choose_container(described, "web")
    with pytest.raises(UserError, match="2 containers"):
        render.choose_container(described, None)
    described["containerDefinitions"].pop()
    assert render.choose_container(described, None) == "app"


def test_diff_shows_exactly_the_image_line(allowed):
    source = render.register_input(described_revision(), [], allowed)
    text = render.diff(source, render.render(source, "app", f"{ECR}:new"), "rev 7", "new")
    changed = [
        line
        for line in text.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert changed == [f'-      "image": "{ECR}:old",', f'+      "image": "{ECR}:new",']
    assert render.diff(source, source, "a", "b") == ""


def sidecar_first(allowed) -> dict:
    """Register input whose application container is second, after a sidecar."""
    source = render.register_input(described_revision(), [], allowed)
    source["containerDefinitions"].reverse()
    assert render.container_names(source) == ["sidecar", "app"]
    return source


def test_named_container_gets_the_image_when_it_is_not_the_first(allowed):
    source = sidecar_first(allowed)
    rendered = render.render(source, "app", f"{ECR}:new")
    sidecar, app = rendered["containerDefinitions"]
    assert app["image"] == f"{ECR}:new"
    assert sidecar["image"] == "public.ecr.aws/xray/aws-xray-daemon:3.3"
    assert sidecar == source["containerDefinitions"][0]


def test_naming_the_sidecar_leaves_the_application_image_alone(allowed):
    source = render.register_input(described_revision(), [], allowed)
    rendered = render.render(source, "sidecar", "public.ecr.aws/xray/aws-xray-daemon:3.4")
    app, sidecar = rendered["containerDefinitions"]
    assert sidecar["image"] == "public.ecr.aws/xray/aws-xray-daemon:3.4"
    assert app == source["containerDefinitions"][0]


def test_env_var_changes_reach_only_the_named_container_when_it_is_not_the_first(allowed):
    source = sidecar_first(allowed)
    rendered = render.render(source, "app", f"{ECR}:new", {"FEATURE": "on"})
    sidecar, app = rendered["containerDefinitions"]
    assert app["environment"] == [
        {"name": "NODE_ENV", "value": "production"},
        {"name": "FEATURE", "value": "on"},
    ]
    assert "environment" not in sidecar


def test_several_containers_and_no_name_is_a_user_error_listing_them():
    described = described_revision()
    described["containerDefinitions"].append({"name": "proxy", "image": "nginx:1.27"})
    with pytest.raises(UserError) as caught:
        render.choose_container(described, None)
    message = str(caught.value)
    assert "lms-dev has 3 containers (app, sidecar, proxy)" in message
    assert "--container" in message
