"""Images in the emulator's ECR without a container build.

The emulator has no Docker engine behind it: an image "push" is an ECR PutImage of a
small synthetic manifest. That is enough for what reads ECR here (the deploy pre-flight's
DescribeImages and the emulator's pull of a deployment's image), and it lets a user on the
emulator deploy a new tag with `lmsops emulator push-image` before `lmsops deploy`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from typing import Any


def synthetic_manifest(repository: str, tag: str) -> str:
    """A Docker v2 manifest whose digests follow from the name, so a re-push is a no-op."""
    seed = hashlib.sha256(f"{repository}:{tag}".encode()).hexdigest()
    layer = hashlib.sha256(seed.encode()).hexdigest()
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"digest": f"sha256:{seed}", "size": 100},
            "layers": [{"digest": f"sha256:{layer}", "size": 1000}],
        }
    )


def push_image(ecr: Any, repository: str, tag: str, *, create_repository: bool = False) -> str:
    """Put REPOSITORY:TAG into the emulator's ECR; returns the image digest."""
    if create_repository:
        with contextlib.suppress(ecr.exceptions.RepositoryAlreadyExistsException):
            ecr.create_repository(repositoryName=repository)
    # moto's PutImage fails with a bare exception for a missing repository; ask first.
    ecr.describe_repositories(repositoryNames=[repository])
    manifest = synthetic_manifest(repository, tag)
    with contextlib.suppress(ecr.exceptions.ImageAlreadyExistsException):
        ecr.put_image(repositoryName=repository, imageTag=tag, imageManifest=manifest)
    described = ecr.describe_images(repositoryName=repository, imageIds=[{"imageTag": tag}])
    return described["imageDetails"][0]["imageDigest"]
