"""`publish --rollback` details against in-process moto S3 (found by mutation testing).

The record a rollback leaves, the exact refusals (no record, expired versions, a deletion
nobody confirms), and the progress bar on a terminal.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from lmsops import publish
from lmsops.errors import UserError
from lmsops.publish import history

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "site"
DOMAIN = "dev.acme-lms.com"


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
    folder = Path(shutil.copytree(SAMPLE_SITE, tmp_path / "b"))
    (folder / "index.html").write_text("<h1>B</h1>")
    for n in range(7):
        (folder / f"page{n}.html").write_text(f"<p>{n}</p>")
    return folder


def test_a_rollback_is_recorded_as_a_rollback_to_the_record_it_restored(s3, site_b):
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    publish.publish(s3, DOMAIN, site_b, show_progress=False)
    _, _, choice = publish.rollback(s3, DOMAIN, show_progress=False, confirm=lambda r, b: True)
    last = history.latest_record(s3, DOMAIN)
    assert (last.kind, last.note) == ("rollback", f"rollback to {choice.record_id}")


def test_without_any_record_the_refusal_names_where_records_live(s3):
    s3.put_object(Bucket=DOMAIN, Key="index.html", Body=b"x")
    with pytest.raises(UserError) as refused:
        publish.rollback(s3, DOMAIN, show_progress=False)
    assert str(refused.value).startswith(
        f"no publish is recorded in s3://{DOMAIN}/.lmsops/publishes/: nothing to roll back to"
    )


def test_expired_versions_are_named_five_at_most_and_nothing_changes(s3, site_b):
    publish.publish(s3, DOMAIN, site_b, show_progress=False)
    old = publish.list_versions(s3, DOMAIN)[0]
    publish.publish(
        s3, DOMAIN, SAMPLE_SITE, delete=True, show_progress=False, confirm=lambda r, b: True
    )
    expired = sorted(key for key in old if key.startswith("page"))
    for key in expired:
        s3.delete_object(Bucket=DOMAIN, Key=key, VersionId=old[key])
    record = history.list_record_ids(s3, DOMAIN)[-2]
    with pytest.raises(UserError) as refused:
        publish.rollback(s3, DOMAIN, show_progress=False)
    assert str(refused.value) == (
        f"cannot roll back to publish {record}: the bucket no longer keeps the versions of 7 "
        f"object(s) ({', '.join(expired[:5])}); previous versions expire after "
        "noncurrent_version_expiration_days. Nothing was changed; publish the site's source of "
        "that time instead."
    )


def test_a_dry_run_says_why_the_real_rollback_would_ask(s3):
    s3.put_object(Bucket=DOMAIN, Key="old.html", Body=b"x")
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    summary, _, _ = publish.rollback(
        s3, DOMAIN, dry_run=True, confirm=lambda r, b: True, show_progress=False
    )
    assert "it deletes the index document index.html" in summary.confirm_reasons


def test_a_dry_run_nobody_can_confirm_is_refused_naming_the_record(s3):
    s3.put_object(Bucket=DOMAIN, Key="old.html", Body=b"x")
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    record = history.list_record_ids(s3, DOMAIN)[0]
    with pytest.raises(UserError) as refused:
        publish.rollback(s3, DOMAIN, dry_run=True, show_progress=False)
    message = str(refused.value)
    assert message.startswith(
        f"refusing to roll s3://{DOMAIN} back to publish {record} without confirmation: "
        "it deletes the index document index.html"
    )
    assert f"The rollback makes the objects of publish {record} live again" in message


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("shown", [True, False])
def test_progress_is_drawn_on_a_terminal_unless_switched_off(s3, site_b, monkeypatch, shown):
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    publish.publish(s3, DOMAIN, site_b, show_progress=False)
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    kwargs = {} if shown else {"show_progress": False}
    publish.rollback(s3, DOMAIN, confirm=lambda r, b: True, **kwargs)
    assert ("publish:" in terminal.getvalue()) is shown


# --- what a publish records -----------------------------------------------------------------


def test_a_publish_records_the_starting_set_then_itself_with_its_folder(s3):
    s3.put_object(Bucket=DOMAIN, Key="index.html", Body=b"before")
    before = publish.list_versions(s3, DOMAIN)[0]
    publish.publish(s3, DOMAIN, SAMPLE_SITE, show_progress=False)
    first, second = (
        history.read_record(s3, DOMAIN, record_id)
        for record_id in history.list_record_ids(s3, DOMAIN)
    )
    assert (first.kind, first.objects, first.note) == ("before", before, "")
    assert (second.kind, second.note) == ("publish", str(SAMPLE_SITE))
    assert second.objects == publish.list_versions(s3, DOMAIN)[0]


@pytest.mark.parametrize("shown", [True, False])
def test_publish_progress_is_drawn_on_a_terminal_unless_switched_off(s3, monkeypatch, shown):
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    kwargs = {} if shown else {"show_progress": False}
    publish.publish(s3, DOMAIN, SAMPLE_SITE, **kwargs)
    assert ("publish:" in terminal.getvalue()) is shown
