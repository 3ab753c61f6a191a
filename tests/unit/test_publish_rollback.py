"""The way back: publish records and --rollback (pure choices, then in-process moto S3)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from lmsops import cli, publish
from lmsops.errors import UserError
from lmsops.publish import history

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "site"
DOMAIN = "dev.acme-lms.com"


def kinds(actions) -> dict[str, str]:
    return {action.key: action.kind for action in actions}


def test_restore_plan_copies_changed_versions_html_last_and_deletes_extra_keys():
    live = {"index.html": "v2", "a.js": "v1", "new.html": "v1"}
    target = {"index.html": "v1", "a.js": "v1", "404.html": "v1"}
    actions = publish.plan_restore(live, target)
    assert [(a.kind, a.key, a.version_id) for a in actions] == [
        ("unchanged", "a.js", "v1"),
        ("restore", "404.html", "v1"),
        ("restore", "index.html", "v1"),
        ("delete", "new.html", None),
    ]


def test_rollback_goes_to_the_record_before_the_last_when_the_bucket_matches_it():
    choice = publish.choose_rollback(["t1", "t2"], {"a": "v2"}, {"a": "v2"}, "where")
    assert choice.record_id == "t1"


def test_rollback_restores_the_last_record_when_the_bucket_left_it():
    choice = publish.choose_rollback(["t1", "t2"], {"a": "v2"}, {"a": "v3"}, "where")
    assert choice.record_id == "t2"
    assert "interrupted" in choice.why


@pytest.mark.parametrize(
    ("ids", "latest", "message"),
    [([], None, "no publish is recorded in where"), (["t1"], {"a": "v1"}, "only one publish")],
)
def test_rollback_without_an_earlier_record_is_a_user_error(ids, latest, message):
    with pytest.raises(UserError, match=message):
        publish.choose_rollback(ids, latest, {"a": "v1"}, "where")


def test_record_ids_sort_in_time_order():
    start = datetime(2026, 11, 29, 23, 59, 59, 999999, tzinfo=UTC)
    ids = [history.new_record_id(start + timedelta(microseconds=n)) for n in range(3)]
    assert ids == sorted(ids)
    assert ids[0] == "20261129T235959.999999Z"


@pytest.fixture
def s3(monkeypatch):
    for name in ("AWS_ENDPOINT_URL", "AWS_CA_BUNDLE", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=DOMAIN)
        client.put_bucket_website(
            Bucket=DOMAIN, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}}
        )
        client.put_bucket_versioning(Bucket=DOMAIN, VersioningConfiguration={"Status": "Enabled"})
        tags = {publish.ROLE_TAG: publish.ROLE, publish.DOMAIN_TAG: DOMAIN}
        client.put_bucket_tagging(
            Bucket=DOMAIN, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}
        )
        yield client


@pytest.fixture
def site_b(tmp_path) -> Path:
    """The sample site with a new index, one page gone and one added."""
    folder = Path(shutil.copytree(SAMPLE_SITE, tmp_path / "b"))
    (folder / "index.html").write_text("<h1>B</h1>")
    (folder / "404.html").unlink()
    (folder / "new.html").write_text("<p>new</p>")
    return folder


def served(s3) -> dict[str, bytes]:
    return {
        key: s3.get_object(Bucket=DOMAIN, Key=key)["Body"].read()
        for key in publish.list_remote(s3, DOMAIN)
    }


def test_rollback_restores_the_previous_publish_byte_for_byte_with_its_headers(s3, site_b):
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    site_a = served(s3)
    publish.publish(s3, DOMAIN, site_b, delete=True, show_progress=False)
    assert served(s3)["index.html"] == b"<h1>B</h1>"

    summary, _, choice = publish.rollback(s3, DOMAIN, show_progress=False)

    assert served(s3) == site_a
    assert str(summary) == "restored 2, unchanged 4, deleted 1"
    assert "before the last publish" in choice.why
    head = s3.head_object(Bucket=DOMAIN, Key="index.html")
    assert head["ContentType"] == "text/html; charset=utf-8"
    assert head["CacheControl"] == "no-cache"


def test_a_second_rollback_undoes_the_first(s3, site_b):
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    publish.publish(s3, DOMAIN, site_b, delete=True, show_progress=False)
    site_b_served = served(s3)
    publish.rollback(s3, DOMAIN, show_progress=False)
    publish.rollback(s3, DOMAIN, show_progress=False)
    assert served(s3) == site_b_served


def test_the_first_publish_can_be_undone_too(s3):
    s3.put_object(Bucket=DOMAIN, Key="index.html", Body=b"<h1>before lmsops</h1>")
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    publish.rollback(s3, DOMAIN, confirm=lambda _r, _b: True, show_progress=False)
    assert served(s3) == {"index.html": b"<h1>before lmsops</h1>"}


def test_records_hold_every_live_version_and_are_not_site_objects(s3):
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    ids = history.list_record_ids(s3, DOMAIN)
    assert len(ids) == 2  # the empty bucket it started from, then the publish
    record = json.loads(
        s3.get_object(Bucket=DOMAIN, Key=history.record_key(ids[-1]))["Body"].read()
    )
    live, _ = publish.list_versions(s3, DOMAIN)
    assert record["kind"] == "publish"
    assert record["objects"] == live
    assert set(live) == set(publish.list_local(SAMPLE_SITE))
    assert not any(key.startswith(".lmsops/") for key in publish.list_remote(s3, DOMAIN))


def test_an_unchanged_publish_records_nothing(s3):
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    assert len(history.list_record_ids(s3, DOMAIN)) == 2


def test_delete_never_removes_the_publish_records(s3, site_b):
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    _, actions = publish.publish(s3, DOMAIN, site_b, delete=True, show_progress=False)
    assert not any(a.key.startswith(".lmsops/") for a in actions)
    assert len(history.list_record_ids(s3, DOMAIN)) == 3


def test_an_interrupted_publish_is_rolled_back_to_the_last_record(s3, site_b):
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    site_a = served(s3)
    s3.put_object(Bucket=DOMAIN, Key="index.html", Body=b"<h1>half</h1>")  # cut mid-way
    _, _, choice = publish.rollback(s3, DOMAIN, show_progress=False)
    assert "interrupted" in choice.why
    assert served(s3) == site_a


def test_rollback_dry_run_changes_nothing(s3, site_b):
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    publish.publish(s3, DOMAIN, site_b, delete=True, show_progress=False)
    before = served(s3)
    summary, actions, _ = publish.rollback(s3, DOMAIN, dry_run=True)
    assert str(summary) == "would restore 2, unchanged 4, would delete 1"
    assert kinds(actions)["new.html"] == "delete"
    assert served(s3) == before


def test_rollback_to_expired_versions_is_refused_before_any_change(s3, site_b):
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    old_index = publish.list_versions(s3, DOMAIN)[0]["index.html"]
    publish.publish(s3, DOMAIN, site_b, delete=True, show_progress=False)
    s3.delete_object(Bucket=DOMAIN, Key="index.html", VersionId=old_index)  # as expiry does
    before = served(s3)
    with pytest.raises(UserError, match=r"no longer keeps the versions of 1 object\(s\) \(index"):
        publish.rollback(s3, DOMAIN, show_progress=False)
    assert served(s3) == before


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["./site"], "give no FOLDER, --delete or --force"),
        (["--delete"], "give no FOLDER, --delete or --force"),
    ],
)
def test_rollback_arguments_are_checked_before_any_lookup(extra, message, tmp_path, capsys):
    outputs = tmp_path / "never-read.json"
    argv = ["publish", "--env", "dev", "--rollback", "--outputs-json", str(outputs), *extra]
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_publish_without_folder_or_rollback_is_a_usage_error(capsys):
    assert cli.main(["publish", "--env", "dev"]) == 2
    assert "give the folder holding the built site, or --rollback" in capsys.readouterr().err


def test_repo_help_names_the_emulator_checkout_default(capsys):
    with pytest.raises(SystemExit):
        cli.main(["publish", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "(default: the emulator's checkout, $LMSOPS_EMULATOR_CHECKOUT, once its" in help_text
