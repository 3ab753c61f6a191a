"""--delete asks before removing the index document or more than a share of the site."""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from lmsops import publish
from lmsops.errors import UserError
from lmsops.publish import command

SAMPLE_SITE = Path(__file__).resolve().parents[2] / "site"
DOMAIN = "dev.acme-lms.com"


def review(deleted: list[str], site_objects: int, max_share: float = 0.5):
    actions = [publish.Action("delete", key) for key in deleted]
    return publish.review_deletions(actions, site_objects, "index.html", max_share)


@pytest.mark.parametrize(
    ("deleted", "site_objects", "needs"),
    [
        ([], 6, False),
        (["a.js"], 6, False),
        (["a.js", "b.js", "c.js"], 6, False),  # 50 %: not more than the share
        (["a.js", "b.js", "c.js", "d.js"], 6, True),
        (["index.html"], 6, True),
        (["a.js"], 1, True),
    ],
)
def test_confirmation_needed_for_index_or_more_than_the_share(deleted, site_objects, needs):
    assert review(deleted, site_objects).needs_confirmation is needs


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("assets/app.3f9a2c1b.js", "assets/app.js"),
        ("assets/index-BdE3f9Qa.js", "assets/index.js"),
        ("assets/app.3f9a2c1b.js.map", "assets/app.js.map"),
        ("assets/vendor-bundle.js", "assets/vendor-bundle.js"),
        ("index.html", "index.html"),
    ],
)
def test_without_fingerprint_drops_only_hash_segments(key, expected):
    assert publish.without_fingerprint(key) == expected


def test_rebuilt_fingerprinted_assets_do_not_count_toward_the_share():
    """A new build renames every asset; deleting the old names loses nothing."""
    actions = [
        publish.Action("unchanged", "index.html"),
        *(publish.Action("upload", f"assets/{n}.9b8c7d6e.js") for n in "abc"),
        *(publish.Action("delete", f"assets/{n}.3f9a2c1b.js") for n in "abc"),
        publish.Action("delete", "old-page.html"),
    ]
    checked = publish.review_deletions(actions, 5, "index.html", 0.5)
    assert checked.replaced == tuple(f"assets/{n}.3f9a2c1b.js" for n in "abc")
    assert checked.share == pytest.approx(0.2)
    assert not checked.needs_confirmation
    renamed = [publish.Action("upload", "assets/z.9b8c7d6e.js"), *actions[4:]]
    assert publish.review_deletions(renamed, 5, "index.html", 0.5).needs_confirmation


def test_review_says_why_and_what_it_would_delete():
    text = review(["404.html", "a.js", "index.html"], 4).describe("b", limit=2)
    assert "it deletes the index document index.html" in text
    assert (
        "it deletes 3 of the site's 4 objects (75%, more than the 50% --max-delete-share)" in text
    )
    assert "  delete s3://b/404.html\n  delete s3://b/a.js\n  ... and 1 more" in text


@pytest.mark.parametrize(("text", "share"), [("50", 0.5), ("10%", 0.1), ("0", 0.0), ("100", 1.0)])
def test_max_delete_share_is_a_percentage(text, share):
    assert command.percent(text) == share


@pytest.mark.parametrize("text", ["-1", "101", "half"])
def test_max_delete_share_out_of_range_is_refused(text):
    with pytest.raises(argparse.ArgumentTypeError, match="percentage from 0 to 100"):
        command.percent(text)


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
        publish.publish(client, DOMAIN, SAMPLE_SITE, show_progress=False)
        yield client


@pytest.fixture
def foreign(tmp_path) -> Path:
    """A folder holding only somebody else's index.html."""
    folder = tmp_path / "foreign"
    folder.mkdir()
    (folder / "index.html").write_text("<h1>not our site</h1>")
    return folder


def site_versions(s3) -> list:
    versions = s3.list_object_versions(Bucket=DOMAIN).get("Versions", [])
    return sorted((v["Key"], v["VersionId"]) for v in versions)


def test_mass_delete_without_confirmation_changes_nothing(s3, foreign):
    before = site_versions(s3)
    with pytest.raises(UserError, match="without confirmation: it deletes 5 of the site's 6"):
        publish.publish(s3, DOMAIN, foreign, delete=True, show_progress=False)
    assert site_versions(s3) == before


def test_mass_delete_goes_ahead_when_confirmed(s3, foreign):
    seen = []
    summary, _ = publish.publish(
        s3,
        DOMAIN,
        foreign,
        delete=True,
        confirm=lambda review, bucket: seen.append((review.deletions, bucket)) or True,
        show_progress=False,
    )
    assert (summary.uploaded, summary.deleted) == (1, 5)
    assert set(publish.list_remote(s3, DOMAIN)) == {"index.html"}
    assert seen[0][1] == DOMAIN
    assert "assets/logo.svg" in seen[0][0]


def test_dry_run_plans_the_mass_delete_someone_can_confirm_without_asking(s3, foreign):
    asked = []
    summary, actions = publish.publish(
        s3, DOMAIN, foreign, delete=True, dry_run=True, confirm=lambda *a: asked.append(a)
    )
    assert asked == []
    assert str(summary) == "would upload 1, unchanged 0, would delete 5"
    assert len([a for a in actions if a.kind == "delete"]) == 5
    assert summary.confirm_reasons == (
        "it deletes 5 of the site's 6 objects (83%, more than the 50% --max-delete-share)",
    )


def test_dry_run_refuses_the_mass_delete_no_one_can_confirm(s3, foreign):
    before = site_versions(s3)
    with pytest.raises(UserError, match="without confirmation: it deletes 5 of the site's 6"):
        publish.publish(s3, DOMAIN, foreign, delete=True, dry_run=True)
    assert site_versions(s3) == before


def test_dry_run_on_a_terminal_says_the_real_run_would_ask(s3, argv, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    assert run_cli([*argv[:-1], "--dry-run", argv[-1]]) == 0
    out = capsys.readouterr().out
    assert f"delete: s3://{DOMAIN}/assets/logo.svg" in out
    assert "the real run would ask for confirmation (--yes in CI): it deletes 5 of" in out
    assert "assets/logo.svg" in publish.list_remote(s3, DOMAIN)


def test_dry_run_without_a_terminal_refuses_exactly_like_the_real_run(
    s3, argv, monkeypatch, capsys
):
    """A CI dry-run gate must fail where the real job would."""
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    before = site_versions(s3)
    messages = []
    for extra in (["--dry-run"], []):
        with pytest.raises(UserError) as refused:
            run_cli([*argv[:-1], *extra, argv[-1]])
        assert refused.value.exit_code == 2
        messages.append(str(refused.value))
    assert messages[0] == messages[1]
    assert "pass --yes" in messages[0]
    assert site_versions(s3) == before
    assert run_cli([*argv[:-1], "--dry-run", "--yes", argv[-1]]) == 0
    assert site_versions(s3) == before
    assert "confirmed by --yes: it deletes 5 of" in capsys.readouterr().out


def test_a_small_delete_needs_no_confirmation(s3, tmp_path):
    site = Path(shutil.copytree(SAMPLE_SITE, tmp_path / "site"))
    (site / "robots.txt").unlink()
    summary, _ = publish.publish(s3, DOMAIN, site, delete=True, show_progress=False)
    assert summary.deleted == 1


def run_cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    publish.add_parser(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def argv(tmp_path, foreign) -> list[str]:
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"bucket_name": {"value": DOMAIN}}))
    cli = ["publish", "--env", "dev", "--outputs-json", str(outputs), "--no-progress"]
    return [*cli, "--delete", str(foreign)]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "deleted"), [("y\n", True), ("n\n", False), ("", False)])
def test_terminal_prompt_shows_the_deletions_and_obeys_the_answer(
    s3, argv, capsys, answer, deleted
):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", Terminal(answer))
        check_prompt(s3, argv, capsys, deleted)


def check_prompt(s3, argv, capsys, deleted: bool) -> None:
    if deleted:
        assert run_cli(argv) == 0
    else:
        with pytest.raises(UserError, match="without confirmation"):
            run_cli(argv)
    err = capsys.readouterr().err
    assert "this needs confirmation" in err
    assert f"delete s3://{DOMAIN}/assets/logo.svg" in err
    assert ("assets/logo.svg" in publish.list_remote(s3, DOMAIN)) is not deleted


def test_without_a_terminal_only_yes_confirms(s3, argv, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    with pytest.raises(UserError, match="pass --yes"):
        run_cli(argv)
    assert "assets/logo.svg" in publish.list_remote(s3, DOMAIN)
    assert run_cli([*argv[:-1], "--yes", argv[-1]]) == 0
    assert set(publish.list_remote(s3, DOMAIN)) == {"index.html"}


def test_undoing_a_rollback_speaks_of_the_rollback_and_the_hint_says_yes(
    s3, argv, monkeypatch, capsys
):
    monkeypatch.setattr(sys, "stdin", io.StringIO())
    rollback = [*argv[:-2], "--rollback"]
    assert run_cli([*argv[:-1], "--yes", argv[-1]]) == 0  # deletes 5 of 6
    assert capsys.readouterr().err.endswith("undo with: lmsops publish --env dev --rollback\n")

    assert run_cli(rollback) == 0  # restores the 5, deletes nothing
    assert "assets/logo.svg" in publish.list_remote(s3, DOMAIN)
    hint = capsys.readouterr().err.splitlines()[-1]
    assert hint.startswith("undo with: lmsops publish --env dev --rollback --yes (")
    assert "it deletes 5 of the site's 6 objects" in hint

    before = site_versions(s3)
    with pytest.raises(UserError) as refused:
        run_cli(rollback)
    message = str(refused.value)
    assert message.startswith(f"refusing to roll s3://{DOMAIN} back to publish ")
    assert "it deletes 5 of the site's 6 objects" in message
    assert "assets/logo.svg" in message
    assert "--yes" in message
    assert "folder" not in message
    assert site_versions(s3) == before

    assert run_cli([*rollback, "--yes"]) == 0
    assert set(publish.list_remote(s3, DOMAIN)) == {"index.html"}
