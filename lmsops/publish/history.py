"""Publish records: which version of every key each publish left live, for the way back.

Every publish that changes the bucket stores a small JSON record under
`.lmsops/publishes/<UTC time>.json` (key -> S3 version id of the whole live set),
after recording the set it started from when that set was not recorded yet (the
first publish, or changes made outside lmsops). `--rollback` makes the set before
the last publish live again by copying those versions on top and deleting keys
that set did not have, and records the result as a publish of its own (so a
second rollback undoes the first). When the bucket no longer matches the last
record (a publish interrupted half-way), rollback restores that last record.
The s3-website module denies `.lmsops/*` to anonymous readers; previous versions
expire after noncurrent_version_expiration_days, which bounds how far back it goes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from lmsops.annotations import Client
from lmsops.errors import UserError
from lmsops.publish.rules import PRIVATE_PREFIX

RECORDS_PREFIX = f"{PRIVATE_PREFIX}publishes/"
RECORD_FORMAT = 1


@dataclass(frozen=True)
class PublishRecord:
    record_id: str  # UTC time, sortable: 20261129T221530.123456Z
    kind: str  # "before" (the set a publish started from), "publish" or "rollback"
    objects: dict[str, str]  # key -> version id
    note: str = ""


@dataclass(frozen=True)
class RollbackChoice:
    record_id: str
    why: str


def new_record_id(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%fZ")


def record_key(record_id: str) -> str:
    return f"{RECORDS_PREFIX}{record_id}.json"


def list_record_ids(s3: Client, bucket: str) -> list[str]:
    ids = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=RECORDS_PREFIX):
        for item in page.get("Contents", []):
            name = item["Key"].removeprefix(RECORDS_PREFIX)
            if name.endswith(".json"):
                ids.append(name.removesuffix(".json"))
    return sorted(ids)


def read_record(s3: Client, bucket: str, record_id: str) -> PublishRecord:
    body = s3.get_object(Bucket=bucket, Key=record_key(record_id))["Body"].read()
    data = json.loads(body)
    return PublishRecord(record_id, data["kind"], dict(data["objects"]), data.get("note", ""))


def write_record(s3: Client, bucket: str, record: PublishRecord) -> None:
    body = {
        "format": RECORD_FORMAT,
        "kind": record.kind,
        "note": record.note,
        "objects": dict(sorted(record.objects.items())),
    }
    s3.put_object(
        Bucket=bucket,
        Key=record_key(record.record_id),
        Body=json.dumps(body, indent=1).encode(),
        ContentType="application/json",
        CacheControl="no-store",
    )


def latest_record(s3: Client, bucket: str) -> PublishRecord | None:
    ids = list_record_ids(s3, bucket)
    return read_record(s3, bucket, ids[-1]) if ids else None


def record_if_new(
    s3: Client, bucket: str, live: dict[str, str], *, kind: str, now: datetime, note: str = ""
) -> PublishRecord | None:
    """Record LIVE unless the latest record holds exactly it; the new record, or None."""
    latest = latest_record(s3, bucket)
    if latest is not None and latest.objects == live:
        return None
    record_id = new_record_id(now)
    if latest is not None and record_id <= latest.record_id:
        raise UserError(
            f"the clock reads {record_id}, not after the last publish record "
            f"{latest.record_id}; fix the system clock and publish again"
        )
    record = PublishRecord(record_id, kind, live, note)
    write_record(s3, bucket, record)
    return record


def choose_rollback(
    record_ids: list[str], latest: dict[str, str] | None, live: dict[str, str], where: str
) -> RollbackChoice:
    """Which record to restore: the one before the last, or the last when LIVE left it."""
    if not record_ids or latest is None:
        raise UserError(
            f"no publish is recorded in {where}: nothing to roll back to (records are "
            "written by lmsops publish from this version on)"
        )
    if live != latest:
        return RollbackChoice(
            record_ids[-1],
            "the bucket differs from the last recorded publish (interrupted, or changed "
            "outside lmsops publish): restoring that publish",
        )
    if len(record_ids) < 2:
        raise UserError(
            f"only one publish is recorded in {where}: there is no earlier set to roll back to"
        )
    return RollbackChoice(record_ids[-2], "restoring the set live before the last publish")


def missing_versions(target: dict[str, str], kept: set[tuple[str, str]]) -> list[str]:
    """Keys of TARGET whose version the bucket no longer keeps (expired or deleted)."""
    return sorted(key for key, version in target.items() if (key, version) not in kept)
