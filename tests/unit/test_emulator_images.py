"""`lmsops.emulator.images`: a synthetic push makes a tag visible to ECR's DescribeImages."""

from __future__ import annotations

import uuid
from pathlib import Path

import boto3

from lmsops import cli
from lmsops.emulator.images import push_image, synthetic_manifest


def test_the_manifest_follows_from_the_name():
    assert synthetic_manifest("app", "v1") == synthetic_manifest("app", "v1")
    assert synthetic_manifest("app", "v1") != synthetic_manifest("app", "v2")


def test_push_creates_the_tag_and_a_second_push_is_harmless(emulator):
    ecr = boto3.client("ecr")
    repository = f"images-{uuid.uuid4().hex[:8]}"

    digest = push_image(ecr, repository, "v1", create_repository=True)
    again = push_image(ecr, repository, "v1")

    assert digest.startswith("sha256:")
    assert again == digest
    tags = {
        tag
        for detail in ecr.describe_images(repositoryName=repository)["imageDetails"]
        for tag in detail.get("imageTags", [])
    }
    assert tags == {"v1"}


def test_push_image_command_makes_the_tag_deployable(emulator, capsys):
    ecr = boto3.client("ecr")
    repository = f"cli-{uuid.uuid4().hex[:8]}"
    ecr.create_repository(repositoryName=repository)
    image = f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{repository}:v7"
    state_dir = str(Path(emulator.ca_bundle).parent)  # the session emulator's state dir

    assert cli.main(["emulator", "--state-dir", state_dir, "push-image", image]) == 0

    assert f"lmsops deploy --env <env> --image {image}" in capsys.readouterr().out
    described = ecr.describe_images(repositoryName=repository, imageIds=[{"imageTag": "v7"}])
    assert described["imageDetails"][0]["imageDigest"].startswith("sha256:")


def test_push_image_command_names_a_missing_repository(emulator, capsys):
    image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/never-created:v1"
    state_dir = str(Path(emulator.ca_bundle).parent)  # the session emulator's state dir

    assert cli.main(["emulator", "--state-dir", state_dir, "push-image", image]) == 2
    assert "no ECR repository 'never-created'" in capsys.readouterr().err


def test_push_image_without_a_tag_says_it_needs_one(tmp_path, capsys):
    state_dir = str(tmp_path)  # no emulator: the reference is refused before it is looked for
    assert cli.main(["emulator", "--state-dir", state_dir, "push-image", "lms-backend"]) == 2
    err = capsys.readouterr().err
    assert "push-image needs a tag: 'lms-backend' names none" in err
    assert "immutable" not in err


def test_push_image_of_another_registry_says_only_the_emulators_ecr_is_pushed_to(tmp_path, capsys):
    state_dir = str(tmp_path)
    assert cli.main(["emulator", "--state-dir", state_dir, "push-image", "docker.io/nginx:1"]) == 2
    err = capsys.readouterr().err
    assert (
        "push-image only pushes to the emulator's own ECR, "
        "<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>; 'docker.io/nginx:1'" in err
    )
    assert "no ECR repository" not in err
