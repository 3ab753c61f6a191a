"""lmsops publish against an in-process moto S3: uploads, headers, idempotence, --delete."""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from moto_s3 import in_process_s3, make_site_bucket

from lmsops import publish
from lmsops.errors import UserError

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "site"
BUCKET = "dev.acme-lms.com"


@pytest.fixture
def s3(monkeypatch):
    for client in in_process_s3(monkeypatch):
        make_site_bucket(client, BUCKET)
        yield client


@pytest.fixture
def outputs(tmp_path) -> Path:
    """live/dev/frontend's outputs as `terraform output -json` prints them."""
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"bucket_name": {"value": BUCKET}}))
    return path


@pytest.fixture
def site(tmp_path) -> Path:
    return Path(shutil.copytree(SAMPLE_SITE, tmp_path / "site"))


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    publish.add_parser(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


# (Content-Type, Cache-Control) of each file of the sample site: HTML is revalidated,
# fingerprinted assets are immutable, the rest is cached briefly.
SAMPLE_SITE_HEADERS = {
    "404.html": ("text/html; charset=utf-8", "no-cache"),
    "index.html": ("text/html; charset=utf-8", "no-cache"),
    "assets/app.3f9a2c1b.js": ("application/javascript", "public, max-age=31536000, immutable"),
    "assets/app.8e1d4f7a.css": ("text/css; charset=utf-8", "public, max-age=31536000, immutable"),
    "assets/logo.svg": ("image/svg+xml", "public, max-age=300"),
    "robots.txt": ("text/plain; charset=utf-8", "public, max-age=300"),
}


def test_publish_uploads_every_file_with_its_headers(s3, site):
    summary, _ = publish.publish(s3, BUCKET, site, show_progress=False)
    local = publish.list_local(site)
    assert sorted(local) == sorted(SAMPLE_SITE_HEADERS)
    assert (summary.uploaded, summary.unchanged, summary.deleted) == (6, 0, 0)
    for key, file in local.items():
        obj = s3.get_object(Bucket=BUCKET, Key=key)
        body = file.path.read_bytes()
        assert obj["Body"].read() == body, key
        assert (obj["ContentType"], obj["CacheControl"]) == SAMPLE_SITE_HEADERS[key], key
        assert obj["Metadata"][publish.MD5_METADATA_KEY] == hashlib.md5(body).hexdigest()
        assert obj["ETag"].strip('"') == hashlib.md5(body).hexdigest()


def test_second_publish_uploads_nothing_then_only_the_changed_file(s3, site):
    publish.publish(s3, BUCKET, site, show_progress=False)
    summary, _ = publish.publish(s3, BUCKET, site, show_progress=False)
    assert (summary.uploaded, summary.unchanged) == (0, len(publish.list_local(site)))

    (site / "index.html").write_text("<h1>changed</h1>")
    summary, actions = publish.publish(s3, BUCKET, site, show_progress=False)
    assert [a.key for a in actions if a.kind == "upload"] == ["index.html"]
    body = s3.get_object(Bucket=BUCKET, Key="index.html")["Body"].read()
    assert body == b"<h1>changed</h1>"


def test_unchanged_detected_from_stored_md5_when_etag_is_not_the_md5(s3, site):
    """An object whose ETag is not its MD5 (multipart/SSE-KMS) is compared by metadata."""
    body = (site / "robots.txt").read_bytes()
    md5 = hashlib.md5(body).hexdigest()
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="robots.txt", Metadata={"md5": md5})
    part = s3.upload_part(
        Bucket=BUCKET, Key="robots.txt", UploadId=upload["UploadId"], PartNumber=1, Body=body
    )
    s3.complete_multipart_upload(
        Bucket=BUCKET,
        Key="robots.txt",
        UploadId=upload["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]},
    )
    assert s3.head_object(Bucket=BUCKET, Key="robots.txt")["ETag"].strip('"') != md5
    _, actions = publish.publish(s3, BUCKET, site, show_progress=False)
    assert {a.key: a.kind for a in actions}["robots.txt"] == "unchanged"


def test_delete_removes_only_objects_missing_locally(s3, site):
    publish.publish(s3, BUCKET, site, show_progress=False)
    s3.put_object(Bucket=BUCKET, Key="old/page.html", Body=b"old")

    summary, _ = publish.publish(s3, BUCKET, site, show_progress=False)
    assert summary.deleted == 0
    assert "old/page.html" in publish.list_remote(s3, BUCKET)

    summary, _ = publish.publish(s3, BUCKET, site, delete=True, show_progress=False)
    assert (summary.uploaded, summary.deleted) == (0, 1)
    assert set(publish.list_remote(s3, BUCKET)) == set(publish.list_local(site))


def test_dry_run_changes_nothing(s3, site):
    s3.put_object(Bucket=BUCKET, Key="stale.js", Body=b"x")
    yes = lambda _review, _bucket: True  # noqa: E731 -- deleting 1 of 1 objects needs it
    summary, _ = publish.publish(
        s3, BUCKET, site, delete=True, dry_run=True, confirm=yes, show_progress=False
    )
    files = len(publish.list_local(site))
    assert (summary.uploaded, summary.deleted, summary.dry_run) == (files, 1, True)
    assert str(summary) == f"would upload {files}, unchanged 0, would delete 1"
    assert set(publish.list_remote(s3, BUCKET)) == {"stale.js"}


def test_missing_bucket_is_a_user_error(s3, site):
    with pytest.raises(UserError, match="does not exist"):
        publish.publish(s3, "no-such-bucket.example", site, show_progress=False)


def test_command_prints_summary(s3, site, outputs, capsys):
    files = len(publish.list_local(site))
    common = ["publish", "--env", "dev", "--outputs-json", str(outputs)]
    assert run_cli([*common, "--bucket", BUCKET, "--no-progress", str(site)]) == 0
    assert capsys.readouterr().out.strip() == (
        f"s3://{BUCKET}: uploaded {files}, unchanged 0, deleted 0"
    )
    run_cli([*common, "--dry-run", "--delete", str(site)])
    assert capsys.readouterr().out.strip() == (
        f"s3://{BUCKET}: would upload 0, unchanged {files}, would delete 0"
    )


def test_publish_folder_is_what_lmsops_up_calls(s3, site, capsys):
    summary = publish.publish_folder(site, BUCKET)
    assert summary.uploaded == len(publish.list_local(site))
    assert f"s3://{BUCKET}: uploaded {summary.uploaded}" in capsys.readouterr().err
    assert publish.publish_folder(site, BUCKET).uploaded == 0
