"""What `publish()` hands each step: the loaded site, --force, the bucket's own index
document; what the bucket listing keeps of each object; the identity failures word for word.

Found by mutation testing: each of these could change without a test noticing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from moto_s3 import in_process_s3, make_site_bucket

from lmsops import publish
from lmsops.errors import UserError
from lmsops.publish import local as local_module
from lmsops.publish import remote
from lmsops.publish.local import LocalFile, load_site
from lmsops.publish.plan import RemoteObject, needs_metadata
from lmsops.publish.target import identity_failures

DOMAIN = "dev.acme-lms.com"


def site_bucket(s3, index_document: str = "index.html") -> None:
    make_site_bucket(s3, DOMAIN, index_document)


@pytest.fixture
def s3(monkeypatch) -> Iterator:
    yield from in_process_s3(monkeypatch)


def folder_with(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    for name, text in files.items():
        (folder / name.replace("__", ".")).write_text(text)
    return folder


def test_a_site_already_loaded_is_published_without_reading_the_folder_again(s3, tmp_path):
    site_bucket(s3)
    local = load_site(folder_with(tmp_path, index__html="<h1>v1</h1>"))
    summary, _ = publish.publish(s3, DOMAIN, tmp_path / "gone", local=local, show_progress=False)
    assert summary.uploaded == 1
    body = s3.get_object(Bucket=DOMAIN, Key="index.html")["Body"].read()
    assert body == b"<h1>v1</h1>"


def test_the_index_document_given_is_the_one_the_folder_must_hold(s3, tmp_path):
    site_bucket(s3, index_document="home.html")
    folder = folder_with(tmp_path, home__html="<h1>home</h1>")
    summary, _ = publish.publish(
        s3, DOMAIN, folder, index_document="home.html", show_progress=False
    )
    assert summary.uploaded == 1


def test_force_uploads_unchanged_files_again(s3, tmp_path):
    site_bucket(s3)
    folder = folder_with(tmp_path, index__html="<h1>v1</h1>", app__js="1")
    publish.publish(s3, DOMAIN, folder, show_progress=False)
    again, _ = publish.publish(s3, DOMAIN, folder, show_progress=False)
    forced, actions = publish.publish(s3, DOMAIN, folder, force=True, show_progress=False)
    assert (again.uploaded, again.unchanged) == (0, 2)
    assert (forced.uploaded, forced.unchanged) == (2, 0)
    assert sorted(a.kind for a in actions) == ["upload", "upload"]


def test_deleting_the_buckets_own_index_document_needs_confirmation(s3, tmp_path):
    """The bucket serves home.html; a folder without it would delete the site's front page."""
    site_bucket(s3, index_document="home.html")
    for key in ("home.html", "a.js", "b.js", "c.js", "d.js"):
        s3.put_object(Bucket=DOMAIN, Key=key, Body=b"x")
    folder = folder_with(
        tmp_path, index__html="<h1>new</h1>", a__js="x", b__js="x", c__js="x", d__js="x"
    )
    with pytest.raises(UserError) as refused:
        publish.publish(s3, DOMAIN, folder, delete=True, show_progress=False)
    assert "it deletes the index document home.html" in str(refused.value)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=DOMAIN)["Contents"]}
    assert "home.html" in keys


def test_a_quoted_etag_equal_to_the_md5_needs_no_metadata_read(tmp_path):
    path = tmp_path / "a.js"
    path.write_text("1")
    local = {"a.js": LocalFile("a.js", path, "c4ca4238a0b923820dcc509a6f75849b", 1)}
    same = {"a.js": RemoteObject("a.js", '"c4ca4238a0b923820dcc509a6f75849b"', 1)}
    other = {"a.js": RemoteObject("a.js", '"0123456789abcdef0123456789abcdef-2"', 1)}
    assert needs_metadata(local, same) == []
    assert needs_metadata(local, other) == ["a.js"]


class Listing:
    """A bucket listing and HEAD answers, as boto3 returns them."""

    def __init__(self, contents: list[dict], heads: dict[str, dict]):
        self.contents, self.heads = contents, heads

    def get_paginator(self, name):
        assert name == "list_objects_v2"
        return self

    def paginate(self, Bucket):
        return [{"Contents": self.contents}]

    def head_object(self, Bucket, Key):
        return self.heads[Key]


def test_listed_objects_keep_their_keys_and_stored_md5s():
    listing = Listing(
        [
            {"Key": "index.html", "ETag": '"e1"', "Size": 10},
            {"Key": ".lmsops/publishes/r.json", "ETag": '"e2"', "Size": 2},
        ],
        {"index.html": {"Metadata": {remote.MD5_METADATA_KEY: "abc"}}},
    )
    listed = remote.list_remote(listing, DOMAIN)
    assert listed == {"index.html": RemoteObject("index.html", '"e1"', 10)}
    filled = remote.with_stored_md5(listing, DOMAIN, listed, ["index.html"])
    assert filled == {"index.html": RemoteObject("index.html", '"e1"', 10, "abc")}


def test_an_object_without_metadata_has_no_stored_md5():
    listing = Listing([{"Key": "a.js", "ETag": '"e"', "Size": 1}], {"a.js": {}})
    listed = remote.list_remote(listing, DOMAIN)
    filled = remote.with_stored_md5(listing, DOMAIN, listed, ["a.js"])
    assert filled == {"a.js": RemoteObject("a.js", '"e"', 1, None)}


def test_identity_failures_are_worded_as_the_refusal_prints_them():
    assert identity_failures(DOMAIN, DOMAIN, {
        publish.ROLE_TAG: publish.ROLE, publish.DOMAIN_TAG: DOMAIN
    }, None, "Suspended") == [
        "static website hosting is not configured on it",
        "versioning is not enabled, so a publish could not be undone "
        "(set versioning_enabled = true in the frontend root)",
    ]  # fmt: skip


def test_a_missing_site_bucket_is_named_with_the_root_to_apply(s3):
    with pytest.raises(UserError) as refused:
        publish.check_site_bucket(s3, DOMAIN, DOMAIN)
    assert str(refused.value) == f"bucket {DOMAIN} does not exist; apply the frontend root first"


def test_a_refused_path_names_the_folder_it_was_found_in(tmp_path):
    folder = folder_with(tmp_path, index__html="<h1>x</h1>")
    (folder / "secret").symlink_to(tmp_path.parent)
    with pytest.raises(UserError) as refused:
        load_site(folder)
    assert str(refused.value).startswith(f"refusing to publish {folder}: 1 path(s) would be read")


def test_file_md5_works_where_md5_is_refused_for_security_use(tmp_path, monkeypatch):
    """On a FIPS-mode host, hashlib.md5() raises unless usedforsecurity=False."""
    real = hashlib.md5

    def fips_md5(*args, usedforsecurity=True):
        if usedforsecurity:
            raise ValueError("[digital envelope routines] unsupported")
        return real(*args, usedforsecurity=False)

    monkeypatch.setattr(local_module.hashlib, "md5", fips_md5)
    path = tmp_path / "a.js"
    path.write_bytes(b"1")
    assert local_module.file_md5(path) == "c4ca4238a0b923820dcc509a6f75849b"


def test_file_md5_reads_a_file_in_bounded_chunks(tmp_path, monkeypatch):
    """A site may hold files of up to 5 GiB: they are hashed a chunk at a time, not read whole."""
    content = b"x" * (2 * 1024 * 1024 + 1)
    path = tmp_path / "video.mp4"
    path.write_bytes(content)
    sizes: list[int | None] = []
    real_open = Path.open

    def recording_open(self, *args, **kwargs):
        handle = real_open(self, *args, **kwargs)
        real_read = handle.read

        def read(size=-1):
            sizes.append(size)
            return real_read(size)

        handle.read = read
        return handle

    monkeypatch.setattr(Path, "open", recording_open)
    assert local_module.file_md5(path) == hashlib.md5(content).hexdigest()
    assert len(sizes) >= 3
    assert all(isinstance(size, int) and 0 < size <= 1024 * 1024 for size in sizes)
