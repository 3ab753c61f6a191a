"""The bucket side of publish against a recording fake client (lmsops.publish.remote).

Exact copy-back arguments, deletions in batches of at most 1000, progress counts, and the
first failed deletion reported (found by mutation testing).
"""

from __future__ import annotations

import base64
import hashlib

import pytest

from lmsops.errors import UserError
from lmsops.publish import remote
from lmsops.publish.local import LocalFile
from lmsops.publish.plan import Action


class FakeS3:
    def __init__(self, delete_errors=None):
        self.calls: list[tuple[str, dict]] = []
        self.delete_errors = delete_errors or []

    def copy_object(self, **kwargs):
        self.calls.append(("copy_object", kwargs))

    def put_object(self, **kwargs):
        self.calls.append(("put_object", kwargs))

    def delete_objects(self, **kwargs):
        self.calls.append(("delete_objects", kwargs))
        return {"Errors": self.delete_errors} if self.delete_errors else {}


def test_restore_copies_the_version_back_with_its_own_headers():
    s3 = FakeS3()
    remote.restore(s3, "b", "index.html", "v1")
    assert s3.calls == [
        (
            "copy_object",
            {
                "Bucket": "b",
                "Key": "index.html",
                "CopySource": {"Bucket": "b", "Key": "index.html", "VersionId": "v1"},
                "MetadataDirective": "COPY",
            },
        )
    ]


def test_an_upload_asks_s3_to_verify_the_body_against_its_md5(tmp_path):
    path = tmp_path / "app.js"
    path.write_bytes(b"console.log(1)\n")
    md5 = hashlib.md5(path.read_bytes()).hexdigest()
    s3 = FakeS3()
    remote.upload(s3, "b", LocalFile("assets/app.js", path, md5, path.stat().st_size))
    [(call, kwargs)] = s3.calls
    assert call == "put_object"
    assert (
        kwargs["ContentMD5"] == base64.b64encode(hashlib.md5(b"console.log(1)\n").digest()).decode()
    )
    assert kwargs["Metadata"] == {remote.MD5_METADATA_KEY: md5}


def test_deletions_go_in_quiet_batches_of_1000():
    s3 = FakeS3()
    keys = [f"k{i}" for i in range(2001)]
    remote.delete_objects(s3, "b", keys)
    batches = [kwargs["Delete"]["Objects"] for _, kwargs in s3.calls]
    assert [len(batch) for batch in batches] == [1000, 1000, 1]
    assert batches[0][0] == {"Key": "k0"} and batches[2] == [{"Key": "k2000"}]
    assert all(kwargs["Delete"]["Quiet"] is True for _, kwargs in s3.calls)
    assert all(kwargs["Bucket"] == "b" for _, kwargs in s3.calls)


def test_exactly_1000_deletions_are_one_call():
    s3 = FakeS3()
    remote.delete_objects(s3, "b", [f"k{i}" for i in range(1000)])
    assert len(s3.calls) == 1


def test_a_failed_deletion_is_a_user_error_naming_the_first_key():
    errors = [{"Key": "a.html", "Message": "Access Denied"}, {"Key": "b.html"}]
    with pytest.raises(UserError, match=r"^could not delete a\.html: Access Denied$"):
        remote.delete_objects(FakeS3(errors), "b", ["a.html", "b.html"])
    with pytest.raises(UserError, match=r"^could not delete b\.html: $"):
        remote.delete_objects(FakeS3([{"Key": "b.html"}]), "b", ["b.html"])


def test_execute_restores_then_deletes_and_counts_progress():
    s3 = FakeS3()
    progress: list[int] = []
    actions = [
        Action("restore", "a.css", version_id="v2"),
        Action("unchanged", "b.js"),
        Action("delete", "old1.js"),
        Action("restore", "index.html", version_id="v3"),
        Action("delete", "old2.js"),
    ]
    remote.execute(s3, "b", actions, progress=progress.append)
    assert [name for name, _ in s3.calls] == ["copy_object", "copy_object", "delete_objects"]
    assert s3.calls[1][1]["CopySource"]["VersionId"] == "v3"
    assert s3.calls[2][1]["Delete"]["Objects"] == [{"Key": "old1.js"}, {"Key": "old2.js"}]
    assert progress == [1, 1, 1, 2]


def test_execute_without_deletions_makes_no_delete_call():
    s3 = FakeS3()
    progress: list[int] = []
    remote.execute(s3, "b", [Action("unchanged", "a")], progress=progress.append)
    assert s3.calls == []
    assert progress == [1]
    remote.execute(s3, "b", [Action("unchanged", "a")])  # the default progress is a no-op
