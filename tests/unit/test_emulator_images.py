"""`lmsops.emulator.images`: a synthetic push makes a tag visible to ECR's DescribeImages."""

from __future__ import annotations

import uuid

import boto3

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
