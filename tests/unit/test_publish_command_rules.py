"""`lmsops publish` wiring and thresholds the end-to-end tests pass over (mutation testing).

The command hands every flag to the flow, prints the undo hint only when something was
written, and the delete review's bounds (exactly the share is fine, more is not) hold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from botocore.exceptions import ClientError

from lmsops import environment
from lmsops.errors import UserError
from lmsops.publish import command, flow, target
from lmsops.publish.plan import Action, DeleteReview, Summary

# --- run_publish / run_rollback hand their flags on ----------------------------------------


def args(**overrides) -> argparse.Namespace:
    values = {
        "folder": Path("site"),
        "delete": True,
        "dry_run": False,
        "force": True,
        "index_document": "home.html",
        "max_delete_share": 0.25,
        "no_progress": True,
        "yes": False,
        "env": "staging",
    }
    return argparse.Namespace(**{**values, **overrides})


def test_run_publish_passes_every_flag_and_prints_the_undo_hint(monkeypatch, capsys):
    seen = {}

    def fake_publish(s3, bucket, folder, **kwargs):
        seen.update(s3=s3, bucket=bucket, folder=folder, **kwargs)
        return Summary(uploaded=1, unchanged=2, deleted=0), []

    hints = []
    monkeypatch.setattr(command, "publish", fake_publish)
    monkeypatch.setattr(
        command, "undo_confirm_reasons", lambda *a: hints.append(a) or ("it deletes x",)
    )
    confirm = object()
    code = command.run_publish(
        "s3", "b", "example.org", local="LOCAL", confirm=confirm, args=args()
    )
    assert code == 0
    assert seen == {
        "s3": "s3",
        "bucket": "b",
        "folder": Path("site"),
        "site_domain": "example.org",
        "delete": True,
        "dry_run": False,
        "force": True,
        "index_document": "home.html",
        "max_delete_share": 0.25,
        "confirm": confirm,
        "local": "LOCAL",
        "show_progress": False,
    }
    assert hints == [("s3", "b", "example.org")]
    out, err = capsys.readouterr()
    assert out == "s3://b: uploaded 1, unchanged 2, deleted 0\n"
    assert err == (
        "undo with: lmsops publish --env staging --rollback --yes "
        "(--yes confirms it: it deletes x)\n"
    )


@pytest.mark.parametrize(
    "summary, dry_run, hinted",
    [
        (Summary(uploaded=0, unchanged=3, deleted=0), False, False),
        (Summary(uploaded=0, unchanged=3, deleted=1), False, True),
        (Summary(uploaded=2, unchanged=3, deleted=1), False, True),
        (Summary(uploaded=2, unchanged=3, deleted=1, dry_run=True), True, False),
    ],
    ids=["nothing-written", "only-deleted", "uploaded-and-deleted", "dry-run"],
)
def test_the_undo_hint_only_follows_a_real_write(monkeypatch, capsys, summary, dry_run, hinted):
    monkeypatch.setattr(command, "publish", lambda *a, **k: (summary, []))
    monkeypatch.setattr(command, "undo_confirm_reasons", lambda *a: ())
    command.run_publish("s3", "b", "d", local=None, confirm=None, args=args(dry_run=dry_run))
    err = capsys.readouterr().err
    assert (err == "undo with: lmsops publish --env staging --rollback\n") is hinted


def test_progress_is_shown_unless_switched_off(monkeypatch):
    seen = []
    monkeypatch.setattr(
        command,
        "publish",
        lambda *a, **k: seen.append(k["show_progress"]) or (Summary(0, 0, 0), []),
    )
    command.run_publish("s3", "b", "d", local=None, confirm=None, args=args(no_progress=False))
    assert seen == [True]


def test_run_rollback_passes_its_flags_says_what_it_restores_and_hints(monkeypatch, capsys):
    seen = {}

    class Choice:
        record_id = "20260501T120000Z"
        why = "the publish before the last one"

    def fake_rollback(s3, bucket, **kwargs):
        seen.update(s3=s3, bucket=bucket, **kwargs)
        summary = Summary(uploaded=2, unchanged=1, deleted=1, restored=True)
        return summary, [Action("upload", "index.html")], Choice()

    monkeypatch.setattr(command, "rollback", fake_rollback)
    monkeypatch.setattr(command, "undo_confirm_reasons", lambda *a: ())
    confirm = object()
    assert command.run_rollback("s3", "b", "d.org", confirm=confirm, args=args()) == 0
    assert seen == {
        "s3": "s3",
        "bucket": "b",
        "site_domain": "d.org",
        "dry_run": False,
        "max_delete_share": 0.25,
        "confirm": confirm,
        "show_progress": False,
    }
    out, err = capsys.readouterr()
    assert out == "s3://b: restored 2, unchanged 1, deleted 1\n"
    assert err == (
        "rollback to publish 20260501T120000Z: the publish before the last one\n"
        "undo with: lmsops publish --env staging --rollback\n"
    )


def test_a_dry_run_rollback_lists_its_actions_and_gives_no_hint(monkeypatch, capsys):
    class Choice:
        record_id, why = "r1", "why"

    summary = Summary(uploaded=1, unchanged=0, deleted=0, dry_run=True, restored=True)
    actions = [Action("upload", "a.html"), Action("unchanged", "b.css")]
    monkeypatch.setattr(command, "rollback", lambda *a, **k: (summary, actions, Choice()))
    command.run_rollback("s3", "b", "d", confirm=None, args=args(dry_run=True))
    out, err = capsys.readouterr()
    assert out == "upload: s3://b/a.html\ns3://b: would restore 1, unchanged 0, would delete 0\n"
    assert err == "rollback to publish r1: why\n"


def test_report_joins_the_confirmation_reasons(capsys):
    summary = Summary(1, 0, 2, dry_run=True, confirm_reasons=("a", "b"))
    command.report("b", summary, [], args(dry_run=True, yes=False))
    command.report("b", summary, [], args(dry_run=True, yes=True))
    assert capsys.readouterr().out.splitlines() == [
        "s3://b: would upload 1, unchanged 0, would delete 2",
        "the real run would ask for confirmation (--yes in CI): a; b",
        "s3://b: would upload 1, unchanged 0, would delete 2",
        "confirmed by --yes: a; b",
    ]


def test_undo_hint_passes_the_site_domain_to_the_dry_run(monkeypatch):
    seen = []
    monkeypatch.setattr(command, "undo_confirm_reasons", lambda *a: seen.append(a) or ("x", "y"))
    hint = command.undo_hint("s3", "b", "d.org", "dev")
    assert seen == [("s3", "b", "d.org")]
    assert hint == "undo with: lmsops publish --env dev --rollback --yes (--yes confirms it: x; y)"


# --- prompt and arguments ----------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, agreed",
    [("y\n", True), (" YES ", True), ("yes", True), ("n", False), ("", False), ("yess", False)],
)
def test_the_prompt_agrees_only_to_y_or_yes(monkeypatch, capsys, answer, agreed):
    prompts = []
    monkeypatch.setattr("builtins.input", lambda text: prompts.append(text) or answer)
    review = DeleteReview(("a", "b"), 4, "index.html", 0.5)
    assert command.ask(review, "bkt") is agreed
    assert prompts == ["Delete these 2 object(s)? [y/N] "]
    assert capsys.readouterr().err.startswith("this needs confirmation: ")


@pytest.mark.parametrize("text, share", [("0", 0.0), ("100", 1.0), ("50%", 0.5), ("12.5", 0.125)])
def test_max_delete_share_accepts_0_to_100(text, share):
    assert command.percent(text) == share


@pytest.mark.parametrize("text", ["-1", "-0.5", "100.1", "abc", "-2"])
def test_max_delete_share_refuses_anything_else(text):
    with pytest.raises(argparse.ArgumentTypeError, match="is not a percentage from 0 to 100"):
        command.percent(text)


def test_interrupted_advice_names_the_rollback():
    assert command.interrupted_advice("b", "dev") == (
        "s3://b may be partly updated; `lmsops publish --env dev --rollback` restores the "
        "last recorded publish"
    )


def test_missing_bucket_output_names_where_it_looked():
    with pytest.raises(UserError, match=r"^live/dev/frontend has no bucket_name output yet"):
        command.bucket_from_outputs({}, "live/dev/frontend")
    assert command.bucket_from_outputs({"bucket_name": "x.org"}, "w") == "x.org"


def test_site_domain_for_names_the_outputs_file_or_the_live_root(tmp_path, monkeypatch):
    outputs = tmp_path / "out.json"
    outputs.write_text("{}")
    ns = argparse.Namespace(env="dev", outputs_json=outputs, repo=None, tf_data_dir=None)
    with pytest.raises(UserError, match=rf"^{outputs} has no bucket_name output yet"):
        command.site_domain_for(ns)
    monkeypatch.setattr(environment, "live_outputs", lambda *a, **k: {})
    ns = argparse.Namespace(env="dev", outputs_json=None, repo=None, tf_data_dir=None)
    with pytest.raises(UserError, match=r"^live/dev/frontend has no bucket_name output yet"):
        command.site_domain_for(ns)


# --- the delete review's bounds ----------------------------------------------------------


def test_deleting_exactly_the_allowed_share_needs_no_confirmation():
    review = DeleteReview(("a", "b"), 4, "index.html", 0.5)
    assert review.share == 0.5
    assert not review.needs_confirmation
    assert review.reasons() == []


def test_deleting_more_than_the_share_counts_replaced_assets_out():
    review = DeleteReview(("a", "b", "c"), 4, "index.html", 0.5, replaced=("c",))
    assert review.share == 0.5
    assert not review.needs_confirmation
    over = DeleteReview(("a", "b", "c", "d"), 5, "index.html", 0.5, replaced=("d",))
    assert over.reasons() == [
        "it deletes 3 of the site's 5 objects (60%, more than the 50% --max-delete-share)"
    ]


def test_describe_lists_twenty_keys_then_how_many_more():
    keys = tuple(f"k{i}" for i in range(22))
    review = DeleteReview(keys, 22, "index.html", 0.5)
    text = review.describe("b")
    lines = text.split("\n")
    assert lines[0] == (
        "this needs confirmation: it deletes 22 of the site's 22 objects "
        "(100%, more than the 50% --max-delete-share)"
    )
    assert lines[1:21] == [f"  delete s3://b/k{i}" for i in range(20)]
    assert lines[21:] == ["  ... and 2 more"]
    exactly = DeleteReview(keys[:20], 20, "index.html", 0.5).describe("b").split("\n")
    assert len(exactly) == 21
    assert exactly[-1] == "  delete s3://b/k19"


def test_describe_joins_both_reasons():
    review = DeleteReview(("index.html", "a"), 2, "index.html", 0.5)
    assert review.describe("b").split("\n")[0] == (
        "this needs confirmation: it deletes the index document index.html; it deletes 2 of "
        "the site's 2 objects (100%, more than the 50% --max-delete-share)"
    )


# --- the flow's small helpers --------------------------------------------------------------


def test_publish_folder_does_not_delete_unless_asked(monkeypatch, tmp_path, capsys):
    seen = []
    monkeypatch.setattr(
        flow, "publish", lambda s3, bucket, folder, **k: seen.append(k) or (Summary(1, 0, 0), [])
    )
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    flow.publish_folder(tmp_path, "b")
    flow.publish_folder(tmp_path, "b", delete=True)
    assert seen == [{"delete": False}, {"delete": True}]
    assert capsys.readouterr().err == "s3://b: uploaded 1, unchanged 0, deleted 0\n" * 2


def test_confirm_reasons_are_only_set_when_the_real_run_would_ask():
    quiet = DeleteReview(("a",), 10, "index.html", 0.5)
    assert flow.with_confirm_reasons(Summary(0, 0, 1), quiet).confirm_reasons == ()
    loud = DeleteReview(("index.html",), 10, "index.html", 0.5)
    assert flow.with_confirm_reasons(Summary(0, 0, 1), loud).confirm_reasons == (
        "it deletes the index document index.html",
    )


def test_undo_confirm_reasons_is_the_dry_run_of_a_confirmed_rollback(monkeypatch):
    seen = {}

    def fake_rollback(s3, bucket, **kwargs):
        seen.update(kwargs)
        return Summary(0, 0, 1, confirm_reasons=("r",)), [], None

    monkeypatch.setattr(flow, "rollback", fake_rollback)
    assert flow.undo_confirm_reasons("s3", "b", "d.org") == ("r",)
    confirm = seen.pop("confirm")
    assert confirm(None, "b") is True
    assert seen == {"site_domain": "d.org", "dry_run": True, "show_progress": False}


def test_the_refusal_joins_its_reasons():
    review = DeleteReview(("index.html", "a"), 2, "index.html", 0.5)
    with pytest.raises(UserError) as refused:
        flow._refuse(review, "b", ("change s3://{bucket}", "Advice."))
    assert str(refused.value) == (
        "refusing to change s3://b without confirmation: it deletes the index document "
        "index.html; it deletes 2 of the site's 2 objects (100%, more than the 50% "
        "--max-delete-share). Nothing was written or deleted. Advice."
    )


# --- S3 lookup failures ------------------------------------------------------------------


def error(code: str | None) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": "m"}} if code else {}, "GetBucketTagging"
    )


@pytest.mark.parametrize(
    "code, failure",
    [
        ("NoSuchBucket", "it does not exist"),
        ("404", "it does not exist"),
        ("AccessDenied", "its configuration cannot be read (access denied)"),
        ("403", "its configuration cannot be read (access denied)"),
        ("SlowDown", "its configuration cannot be read (SlowDown)"),
        (None, "its configuration cannot be read ()"),
    ],
)
def test_lookup_failures_name_what_went_wrong(code, failure):
    assert target._lookup_failure(error(code)) == failure


@pytest.mark.parametrize(
    "code, message",
    [
        ("NoSuchBucket", "bucket b does not exist; apply the frontend root first"),
        ("404", "bucket b does not exist; apply the frontend root first"),
        (
            "AccessDenied",
            "access denied reading the configuration of bucket b: publish checks it first and "
            "needs s3:GetBucketTagging, s3:GetBucketWebsite, s3:GetBucketVersioning",
        ),
        (
            "403",
            "access denied reading the configuration of bucket b: publish checks it first and "
            "needs s3:GetBucketTagging, s3:GetBucketWebsite, s3:GetBucketVersioning",
        ),
    ],
)
def test_lookup_errors_say_what_to_do(code, message):
    assert str(target._lookup_error("b", error(code))) == message


def test_other_lookup_errors_carry_the_code_and_the_error():
    exc = error("SlowDown")
    assert str(target._lookup_error("b", exc)) == f"cannot check bucket b: SlowDown {exc}"
    assert target._code(error(None)) == ""


class FakeBar:
    """Records how publish built its progress bar and each step it counted."""

    made: ClassVar[list[FakeBar]] = []

    def __init__(self, **kwargs):
        self.kwargs, self.steps = kwargs, []
        FakeBar.made.append(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, step: int = 1) -> None:
        self.steps.append(step)


@pytest.mark.parametrize(("show", "disable"), [(True, None), (False, True)])
def test_the_progress_bar_counts_files_on_stderr_and_advances_per_action(
    monkeypatch, show, disable
):
    FakeBar.made = []
    monkeypatch.setattr(flow, "tqdm", FakeBar)
    executed = []

    def execute(s3, bucket, actions, progress):
        executed.append((s3, bucket, actions))
        for _ in actions:
            progress(1)

    monkeypatch.setattr(flow.remote, "execute", execute)
    actions = [Action("upload", "a.html"), Action("delete", "b.html")]
    flow._execute_with_progress("s3", "bkt", actions, show)
    [bar] = FakeBar.made
    # disable=None lets tqdm draw only on a terminal; True never draws.
    assert bar.kwargs == {
        "total": 2,
        "unit": "file",
        "desc": "publish",
        "file": sys.stderr,
        "disable": disable,
    }
    assert executed == [("s3", "bkt", actions)]
    assert bar.steps == [1, 1]
