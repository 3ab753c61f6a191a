"""Publish records rule by rule (lmsops.publish.history) against a fake bucket.

Record ids, the stored JSON, the clock check, which record a rollback restores and why,
and the versions that expired (found by mutation testing).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time

import pytest

from lmsops.errors import UserError
from lmsops.publish import history


class FakeBucket:
    def __init__(self):
        self.objects: dict[str, bytes] = {}
        self.puts: list[dict] = []
        self.prefixes: list[str] = []

    def get_paginator(self, name):
        assert name == "list_objects_v2"
        return self

    def paginate(self, Bucket, Prefix):
        self.prefixes.append(Prefix)
        keys = sorted(k for k in self.objects if k.startswith(Prefix))
        yield {"Contents": [{"Key": k} for k in keys[:1]]}
        yield {"Contents": [{"Key": k} for k in keys[1:]]}
        yield {}

    def get_object(self, Bucket, Key):
        return {"Body": io.BytesIO(self.objects[Key])}

    def put_object(self, Bucket, Key, Body, **headers):
        self.puts.append({"Key": Key, **headers})
        self.objects[Key] = Body


WHEN = dt.datetime(2026, 11, 29, 23, 15, 30, 123456, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def test_record_ids_are_sortable_utc_times_under_the_private_prefix():
    assert history.new_record_id(WHEN) == "20261129T221530.123456Z"
    assert history.record_key("x") == ".lmsops/publishes/x.json"
    assert history.RECORDS_PREFIX == ".lmsops/publishes/"


def test_a_record_id_is_in_utc_whatever_the_machines_time_zone(monkeypatch):
    monkeypatch.setenv("TZ", "JST-9")  # POSIX form: needs no tzdata on the machine
    time.tzset()
    try:
        assert history.new_record_id(WHEN) == "20261129T221530.123456Z"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_records_are_listed_sorted_and_only_json():
    s3 = FakeBucket()
    for name in ("b.json", "a.json", "c.txt", "d.json.bak"):
        s3.objects[f".lmsops/publishes/{name}"] = b"{}"
    s3.objects["index.html"] = b""
    assert history.list_record_ids(s3, "bkt") == ["a", "b"]
    assert s3.prefixes == [".lmsops/publishes/"]


def test_a_written_record_reads_back_and_is_stored_private_and_uncached():
    s3 = FakeBucket()
    record = history.PublishRecord("r1", "publish", {"b": "2", "a": "1"}, note="n")
    history.write_record(s3, "bkt", record)
    assert s3.puts == [
        {
            "Key": ".lmsops/publishes/r1.json",
            "ContentType": "application/json",
            "CacheControl": "no-store",
        }
    ]
    text = s3.objects[".lmsops/publishes/r1.json"].decode()
    # Indented one space a level: a record stays readable in the S3 console.
    assert text.splitlines()[:3] == ["{", ' "format": 1,', ' "kind": "publish",']
    stored = json.loads(text)
    assert stored == {"format": 1, "kind": "publish", "note": "n", "objects": {"a": "1", "b": "2"}}
    assert list(stored["objects"]) == ["a", "b"]
    assert history.read_record(s3, "bkt", "r1") == record
    assert history.latest_record(s3, "bkt") == record


def test_a_record_without_a_note_reads_with_an_empty_note():
    s3 = FakeBucket()
    s3.objects[".lmsops/publishes/r.json"] = b'{"kind": "before", "objects": {"a": "1"}}'
    assert history.read_record(s3, "bkt", "r") == history.PublishRecord("r", "before", {"a": "1"})
    assert history.latest_record(FakeBucket(), "bkt") is None


def test_record_if_new_skips_the_set_already_recorded_and_records_a_changed_one():
    s3 = FakeBucket()
    first = history.record_if_new(s3, "bkt", {"a": "1"}, kind="before", now=WHEN)
    assert first == history.PublishRecord("20261129T221530.123456Z", "before", {"a": "1"})
    assert history.record_if_new(s3, "bkt", {"a": "1"}, kind="publish", now=WHEN) is None
    later = WHEN + dt.timedelta(microseconds=1)
    second = history.record_if_new(s3, "bkt", {"a": "2"}, kind="publish", now=later, note="x")
    assert (second.record_id, second.kind, second.note) == (
        "20261129T221530.123457Z",
        "publish",
        "x",
    )


@pytest.mark.parametrize("delta", [dt.timedelta(0), dt.timedelta(seconds=-1)])
def test_a_clock_not_after_the_last_record_is_refused(delta):
    s3 = FakeBucket()
    history.record_if_new(s3, "bkt", {"a": "1"}, kind="before", now=WHEN)
    with pytest.raises(UserError) as refused:
        history.record_if_new(s3, "bkt", {"a": "2"}, kind="publish", now=WHEN + delta)
    shown = history.new_record_id(WHEN + delta)
    assert str(refused.value) == (
        f"the clock reads {shown}, not after the last publish record 20261129T221530.123456Z; "
        "fix the system clock and publish again"
    )


def test_rollback_restores_the_set_before_the_last_publish():
    choice = history.choose_rollback(["r1", "r2", "r3"], {"a": "3"}, {"a": "3"}, "s3://b")
    assert choice == history.RollbackChoice("r2", "restoring the set live before the last publish")


def test_rollback_after_an_interrupted_publish_restores_the_last_record():
    choice = history.choose_rollback(["r1"], {"a": "1"}, {"a": "2"}, "s3://b")
    assert choice.record_id == "r1"
    assert choice.why == (
        "the bucket differs from the last recorded publish (interrupted, or changed outside "
        "lmsops publish): restoring that publish"
    )


def test_rollback_with_one_record_matching_the_bucket_has_nowhere_to_go():
    with pytest.raises(UserError) as refused:
        history.choose_rollback(["r1"], {"a": "1"}, {"a": "1"}, "s3://b")
    assert str(refused.value) == (
        "only one publish is recorded in s3://b: there is no earlier set to roll back to"
    )


@pytest.mark.parametrize("ids, latest", [([], {"a": "1"}), (["r1"], None), ([], None)])
def test_rollback_without_records_says_none_is_recorded(ids, latest):
    with pytest.raises(UserError) as refused:
        history.choose_rollback(ids, latest, {"a": "1"}, "s3://b")
    assert str(refused.value) == (
        "no publish is recorded in s3://b: nothing to roll back to (records are written by "
        "lmsops publish from this version on)"
    )


def test_missing_versions_are_the_sorted_keys_whose_version_is_gone():
    target = {"b": "2", "a": "1", "c": "3"}
    kept = {("a", "1"), ("b", "9"), ("c", "3")}
    assert history.missing_versions(target, kept) == ["b"]
    assert history.missing_versions({"z": "1", "y": "1"}, set()) == ["y", "z"]
