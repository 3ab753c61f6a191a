"""lmsops publish on the emulator: what it refuses, and the way back.

One live/dev/frontend applied for the whole file (the tests run in file order on
it): publishing to the Terraform state bucket is refused with the state left as
it was, a symlink leading out of the site folder is refused with nothing
uploaded, a mass deletion needs --yes, and after publishing A then B (with
deletions) `--rollback` serves A again byte for byte to anonymous readers.
"""

from __future__ import annotations

import io
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from lmsops import cli, environment, publish, roots
from lmsops.errors import UserError

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "site"


@pytest.fixture(scope="module")
def frontend(bootstrapped, tmp_path_factory):
    """live/dev/frontend applied on a fresh copy of the repo; (repo, data dir, outputs)."""
    work = tmp_path_factory.mktemp("publish-work")
    repo = roots.copy_repo(work / "repo")
    root = environment.live_root(repo, "dev", "frontend", work)
    try:
        outputs = environment.apply_live(root, bootstrapped.backend_config)
        yield repo, work / "tfdata" / "dev" / "frontend", outputs
    finally:
        root.destroy()


@dataclass(frozen=True)
class Site:
    """The applied site bucket, a signed client and an anonymous one."""

    bucket: str
    s3: object
    anonymous: object

    def anonymous_body(self, key: str) -> bytes | None:
        try:
            return self.anonymous.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError:
            return None


@pytest.fixture(scope="module")
def site(frontend) -> Site:
    anonymous = boto3.client(
        "s3", config=Config(signature_version=UNSIGNED, s3={"addressing_style": "path"})
    )
    return Site(frontend[2]["bucket_name"], boto3.client("s3"), anonymous)


@pytest.fixture
def no_terminal(monkeypatch):
    """stdin is not a terminal (as in CI): a confirmation can only come from --yes."""
    monkeypatch.setattr(sys, "stdin", io.StringIO())


def lmsops_publish(frontend, *args: str) -> int:
    repo, data_dir, _ = frontend
    common = ["publish", "--env", "dev", "--repo", str(repo), "--tf-data-dir", str(data_dir)]
    return cli.main([*common, "--no-progress", *args])


def all_versions(s3, bucket: str) -> list[tuple[str, str, str]]:
    versions = s3.list_object_versions(Bucket=bucket)
    return sorted((v["Key"], v["VersionId"], v["ETag"]) for v in versions.get("Versions", []))


@pytest.mark.usefixtures("no_terminal")
def test_publishing_to_the_state_bucket_is_refused_and_the_state_is_untouched(
    frontend, bootstrapped, site, capsys
):
    s3 = site.s3
    state_bucket = bootstrapped.outputs["state_bucket_name"]
    before = all_versions(s3, state_bucket)
    assert any("frontend" in key for key, _, _ in before), "the frontend's state is stored"

    with pytest.raises(UserError, match="not provably the site bucket"):
        publish.publish(s3, state_bucket, SAMPLE_SITE, delete=True, show_progress=False)
    code = lmsops_publish(frontend, "--bucket", state_bucket, "--delete", str(SAMPLE_SITE))

    err = capsys.readouterr().err
    assert code == 2
    assert f"refusing to publish to s3://{state_bucket}" in err
    assert "static website hosting is not configured" in err
    assert "lmsops:role = site" in err
    assert all_versions(s3, state_bucket) == before


def test_symlink_out_of_the_site_folder_is_refused_and_nothing_uploaded(
    frontend, site, tmp_path, capsys
):
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.txt").write_text("db password")
    folder = Path(shutil.copytree(SAMPLE_SITE, tmp_path / "site"))
    (folder / "leak.txt").symlink_to("../outside/secret.txt")

    with pytest.raises(UserError, match="outside the site folder"):
        publish.publish(site.s3, site.bucket, folder, show_progress=False)
    for dry_run in (["--dry-run"], []):
        assert lmsops_publish(frontend, *dry_run, str(folder)) == 2
        err = capsys.readouterr().err
        assert "leak.txt: symlink to ../outside/secret.txt, outside the site folder" in err
    assert publish.list_remote(site.s3, site.bucket) == {}
    assert site.anonymous_body("leak.txt") is None


def test_publish_a_then_b_with_deletions_then_rollback_serves_a(frontend, site, tmp_path, capsys):
    s3, bucket = site.s3, site.bucket
    site_a = publish.list_local(SAMPLE_SITE)
    assert lmsops_publish(frontend, str(SAMPLE_SITE)) == 0

    site_b = Path(shutil.copytree(SAMPLE_SITE, tmp_path / "b"))
    (site_b / "index.html").write_text("<h1>B</h1>")
    (site_b / "404.html").unlink()
    (site_b / "new.html").write_text("<p>only in B</p>")
    assert lmsops_publish(frontend, "--delete", str(site_b)) == 0
    assert site.anonymous_body("index.html") == b"<h1>B</h1>"
    assert "404.html" not in publish.list_remote(s3, bucket)
    capsys.readouterr()

    assert lmsops_publish(frontend, "--rollback") == 0

    assert set(publish.list_remote(s3, bucket)) == set(site_a)
    for key, file in site_a.items():
        assert site.anonymous_body(key) == file.path.read_bytes(), key
        head = s3.head_object(Bucket=bucket, Key=key)
        assert head["ContentType"] == publish.content_type_for(key), key
    assert site.anonymous_body("new.html") is None
    assert "undo with: lmsops publish --env dev --rollback" in capsys.readouterr().err


def test_publish_records_are_not_served_to_anonymous_readers(site):
    s3, bucket = site.s3, site.bucket
    records = s3.list_objects_v2(Bucket=bucket, Prefix=publish.RECORDS_PREFIX)["Contents"]
    assert len(records) >= 3  # before A, A, B, the rollback
    key = records[-1]["Key"]
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read().startswith(b"{")
    with pytest.raises(ClientError) as refused:
        site.anonymous.get_object(Bucket=bucket, Key=key)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


@pytest.mark.usefixtures("no_terminal")
def test_replacing_the_site_with_a_foreign_index_needs_yes(frontend, site, tmp_path, capsys):
    s3, bucket = site.s3, site.bucket
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "index.html").write_text("<h1>someone else's page</h1>")
    before = all_versions(s3, bucket)

    with pytest.raises(UserError, match="without confirmation"):
        publish.publish(s3, bucket, foreign, delete=True, show_progress=False)
    assert lmsops_publish(frontend, "--delete", str(foreign)) == 2
    err = capsys.readouterr().err
    assert "without confirmation" in err
    assert "more than the 50% --max-delete-share" in err
    assert all_versions(s3, bucket) == before

    assert lmsops_publish(frontend, "--delete", "--yes", str(foreign)) == 0
    assert set(publish.list_remote(s3, bucket)) == {"index.html"}
    assert lmsops_publish(frontend, "--rollback", "--yes") == 0
    index = site.anonymous_body("index.html")
    assert index == (SAMPLE_SITE / "index.html").read_bytes()
