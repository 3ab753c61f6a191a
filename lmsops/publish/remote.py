"""The bucket side of publish: list objects and versions, upload, copy back, delete."""

from __future__ import annotations

import base64
from collections.abc import Callable

from lmsops.annotations import Client
from lmsops.content_rules import cache_control_for, content_type_for
from lmsops.errors import UserError
from lmsops.publish.local import LocalFile
from lmsops.publish.plan import Action, RemoteObject
from lmsops.publish.rules import is_site_key

MD5_METADATA_KEY = "md5"


def list_remote(s3: Client, bucket: str) -> dict[str, RemoteObject]:
    """The site's objects (lmsops's own records left out) by key."""
    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            if is_site_key(item["Key"]):
                objects[item["Key"]] = RemoteObject(item["Key"], item["ETag"], item["Size"])
    return objects


def list_versions(s3: Client, bucket: str) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """The site's live version per key, and every (key, version id) the bucket still keeps."""
    live, kept = {}, set()
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []):
            if not is_site_key(version["Key"]):
                continue
            kept.add((version["Key"], version["VersionId"]))
            if version["IsLatest"]:
                live[version["Key"]] = version["VersionId"]
    return live, kept


def with_stored_md5(
    s3: Client, bucket: str, remote: dict[str, RemoteObject], keys: list[str]
) -> dict[str, RemoteObject]:
    """REMOTE with the MD5 from object metadata filled in for KEYS."""
    updated = dict(remote)
    for key in keys:
        head = s3.head_object(Bucket=bucket, Key=key)
        stored = head.get("Metadata", {}).get(MD5_METADATA_KEY)
        updated[key] = RemoteObject(key, remote[key].etag, remote[key].size, stored)
    return updated


def upload(s3: Client, bucket: str, local: LocalFile) -> None:
    # Single-part put: the ETag then is the MD5 (unless the bucket uses SSE-KMS,
    # which the stored md5 metadata covers); Content-MD5 makes S3 verify the body.
    with local.path.open("rb") as body:
        s3.put_object(
            Bucket=bucket,
            Key=local.key,
            Body=body,
            ContentType=content_type_for(local.key),
            CacheControl=cache_control_for(local.key),
            ContentMD5=base64.b64encode(bytes.fromhex(local.md5)).decode(),
            Metadata={MD5_METADATA_KEY: local.md5},
        )


def restore(s3: Client, bucket: str, key: str, version_id: str) -> None:
    """Make VERSION_ID of KEY live again: a new version, same body, headers and metadata."""
    s3.copy_object(
        Bucket=bucket,
        Key=key,
        CopySource={"Bucket": bucket, "Key": key, "VersionId": version_id},
        MetadataDirective="COPY",
    )


def delete_objects(s3: Client, bucket: str, keys: list[str]) -> None:
    for start in range(0, len(keys), 1000):
        batch = [{"Key": key} for key in keys[start : start + 1000]]
        response = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
        if response.get("Errors"):
            first = response["Errors"][0]
            raise UserError(f"could not delete {first['Key']}: {first.get('Message', '')}")


def execute(
    s3: Client,
    bucket: str,
    actions: list[Action],
    progress: Callable[[int], None] = lambda _n: None,
) -> None:
    """Uploads and restores in plan order (HTML last), then the deletions."""
    for action in actions:
        if action.kind == "upload":
            assert action.local is not None  # plan_sync gives every upload its file
            upload(s3, bucket, action.local)
        elif action.kind == "restore":
            assert action.version_id is not None  # plan_restore gives every restore its version
            restore(s3, bucket, action.key, action.version_id)
        if action.kind != "delete":
            progress(1)
    doomed = [action.key for action in actions if action.kind == "delete"]
    if doomed:
        delete_objects(s3, bucket, doomed)
        progress(len(doomed))
