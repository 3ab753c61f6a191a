"""`lmsops publish` arguments: what each flag parses to, and the help a person reads.

Found by mutation testing: a flag that lost its type, default or `required` parsed on
without any test noticing, and the help text was never looked at.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from help_text import without_paths

from lmsops import environment
from lmsops.errors import UserError
from lmsops.publish import command, flow
from lmsops.publish.local import LocalFile
from lmsops.publish.plan import DeleteReview, RemoteObject, Summary, is_unchanged


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="lmsops")
    command.add_parser(top.add_subparsers())
    return top


def parse(*argv: str) -> argparse.Namespace:
    return parser().parse_args(["publish", *argv])


def test_defaults():
    args = parse("site", "--env", "dev")
    assert args.folder == Path("site")
    assert isinstance(args.folder, Path)
    assert (args.env, args.rollback, args.bucket, args.delete, args.dry_run, args.yes) == (
        "dev",
        False,
        None,
        False,
        False,
        False,
    )
    assert (args.force, args.index_document, args.no_progress) == (False, "index.html", False)
    assert args.max_delete_share == command.DEFAULT_MAX_DELETE_SHARE
    assert args.func is command.run
    assert parse("--env", "dev").folder is None


def test_every_flag_parses_to_its_value():
    args = parse(
        "--env", "prod", "--rollback", "--bucket", "b", "--delete", "--dry-run", "--yes",
        "--max-delete-share", "25%", "--force", "--index-document", "home.html",
        "--no-progress", "--outputs-json", "out.json", "--repo", "checkout",
    )  # fmt: skip
    assert (args.rollback, args.bucket, args.delete, args.dry_run, args.yes) == (
        True,
        "b",
        True,
        True,
        True,
    )
    assert (args.max_delete_share, args.force, args.index_document, args.no_progress) == (
        0.25,
        True,
        "home.html",
        True,
    )
    assert args.outputs_json == Path("out.json")
    assert args.repo == Path("checkout")
    assert parse("--env", "dev", "--tf-data-dir", "data").tf_data_dir == Path("data")


def test_env_is_required_and_one_of_the_environments(capsys):
    for argv in (["site"], ["site", "--env", "qa"]):
        with pytest.raises(SystemExit) as exited:
            parse(*argv)
        assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "the following arguments are required: --env" in err
    assert (
        f"invalid choice: 'qa' (choose from {', '.join(map(repr, environment.ENVIRONMENTS))})"
        in err
    )


def test_a_bad_share_is_a_usage_error(capsys):
    with pytest.raises(SystemExit):
        parse("site", "--env", "dev", "--max-delete-share", "150")
    assert "'150' is not a percentage from 0 to 100" in capsys.readouterr().err


def test_help_documents_every_option(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["publish", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for line in (
        "folder holding the built site (with index.html)",
        "--env {" + ",".join(environment.ENVIRONMENTS) + "} the environment whose site to publish",
        "--rollback restore the set of objects live before the last publish (no FOLDER)",
        "--bucket BUCKET the env's site bucket, checked like the default (default: its output)",
        "--delete delete objects not in the folder",
        "--dry-run show what would change, change nothing",
        "--yes confirm deletions that need it (for CI)",
        "--max-delete-share PERCENT deleting more than this share of the site's objects needs "
        f"confirmation (default: {command.DEFAULT_MAX_DELETE_SHARE * 100:.0f}%)",
        "--force upload every file, changed or not",
        "--index-document INDEX_DOCUMENT default: index.html",
        "--no-progress do not show a progress bar",
        "--outputs-json OUTPUTS_JSON read live/<env>/frontend's outputs from this file "
        "(`terraform output -json`)",
        "--tf-data-dir TF_DATA_DIR TF_DATA_DIR the live root was initialised with",
        "--repo REPO checkout holding live/ (default: the emulator's checkout, "
        "$LMSOPS_EMULATOR_CHECKOUT, once its environment is loaded, else",
        " ".join(command.DESCRIPTION.split()),
        "safety checks (all before the first write;",
    ):
        assert line in text, line
    assert "XX" not in without_paths(text)
    top = argparse.ArgumentParser(prog="lmsops")
    command.add_parser(top.add_subparsers())
    top_help = " ".join(top.format_help().split())
    assert "upload a built static site to an environment's site bucket, or roll it back" in top_help
    assert "XX" not in without_paths(top_help)


def test_the_epilog_keeps_its_layout(capsys):
    with pytest.raises(SystemExit):
        parser().parse_args(["publish", "--help"])
    assert (
        "\n  target   the bucket must be the environment's site bucket" in capsys.readouterr().out
    )


def test_site_domain_for_reads_the_frontend_root_with_the_given_checkout(monkeypatch):
    seen = []
    monkeypatch.setattr(
        environment,
        "live_outputs",
        lambda *a, **k: seen.append((a, k)) or {"bucket_name": "dev.example.org"},
    )
    args = argparse.Namespace(env="dev", outputs_json=None, repo=Path("/r"), tf_data_dir=Path("/d"))
    assert command.site_domain_for(args) == "dev.example.org"
    assert seen == [
        (
            ("dev", "frontend", Path("/r"), Path("/d")),
            {"hint": "pass --tf-data-dir or --outputs-json"},
        )
    ]


def test_an_etag_is_compared_without_its_quotes():
    local = LocalFile("a.js", Path("a.js"), "0" * 32, 3)
    assert is_unchanged(local, RemoteObject("a.js", '"' + "0" * 32 + '"', 3))
    assert not is_unchanged(local, RemoteObject("a.js", '"' + "1" * 32 + '"', 3))
    assert not is_unchanged(local, RemoteObject("a.js", '"' + "0" * 32 + '"', 4))
    assert is_unchanged(local, RemoteObject("a.js", '"multipart-2"', 3, md5="0" * 32))


# --- command.run: the arguments' checks, and how an interrupt or an S3 refusal ends --------


def run_args(tmp_path, **overrides) -> argparse.Namespace:
    values = {
        "env": "dev",
        "folder": None,
        "rollback": False,
        "delete": False,
        "force": False,
        "index_document": "index.html",
        "bucket": None,
        "yes": True,
    }
    return argparse.Namespace(**{**values, **overrides})


@pytest.mark.parametrize(
    "overrides",
    [{"folder": Path("site")}, {"delete": True}, {"force": True}],
    ids=["folder", "delete", "force"],
)
def test_rollback_with_publish_arguments_is_refused(tmp_path, overrides):
    with pytest.raises(UserError) as refused:
        command.check_arguments_and_load(run_args(tmp_path, rollback=True, **overrides))
    assert str(refused.value) == (
        "--rollback restores the previous publish from object versions: give no FOLDER, "
        "--delete or --force"
    )
    assert command.check_arguments_and_load(run_args(tmp_path, rollback=True)) is None


def test_publish_without_a_folder_is_refused(tmp_path):
    with pytest.raises(UserError) as refused:
        command.check_arguments_and_load(run_args(tmp_path))
    assert str(refused.value) == "give the folder holding the built site, or --rollback"


def test_the_folder_is_loaded_with_the_given_index_document(tmp_path):
    (tmp_path / "home.html").write_text("<h1>home</h1>")
    loaded = command.check_arguments_and_load(
        run_args(tmp_path, folder=tmp_path, index_document="home.html")
    )
    assert sorted(loaded) == ["home.html"]


def test_an_unknown_environment_lists_the_choices():
    with pytest.raises(UserError) as refused:
        command.check_environment("qa")
    assert str(refused.value) == (
        f"unknown environment 'qa'; choose one of {', '.join(environment.ENVIRONMENTS)}"
    )
    command.check_environment(environment.ENVIRONMENTS[0])


@pytest.fixture
def wired(monkeypatch, tmp_path):
    """command.run with its lookups replaced; records what the publish or rollback got."""
    seen = {}
    monkeypatch.setattr(command, "check_arguments_and_load", lambda args: "LOCAL")
    monkeypatch.setattr(command, "site_domain_for", lambda args: "dev.example.org")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")

    def fake_publish(s3, bucket, site_domain, **kwargs):
        seen.update(kind="publish", bucket=bucket, site_domain=site_domain, **kwargs)
        return 0

    def fake_rollback(s3, bucket, site_domain, **kwargs):
        seen.update(kind="rollback", bucket=bucket, site_domain=site_domain, **kwargs)
        return 0

    monkeypatch.setattr(command, "run_publish", fake_publish)
    monkeypatch.setattr(command, "run_rollback", fake_rollback)
    return seen


def test_run_hands_the_site_domain_and_the_loaded_folder_on(wired, tmp_path):
    assert command.run(run_args(tmp_path, bucket="other")) == 0
    assert (wired["kind"], wired["bucket"], wired["site_domain"], wired["local"]) == (
        "publish",
        "other",
        "dev.example.org",
        "LOCAL",
    )
    wired.clear()
    assert command.run(run_args(tmp_path, rollback=True)) == 0
    assert (wired["kind"], wired["bucket"], wired["site_domain"]) == (
        "rollback",
        "dev.example.org",
        "dev.example.org",
    )


def test_an_interrupt_says_how_to_roll_back_and_goes_on(wired, monkeypatch, tmp_path, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(command, "run_publish", interrupted)
    with pytest.raises(KeyboardInterrupt):
        command.run(run_args(tmp_path))
    assert capsys.readouterr().err == (
        "s3://dev.example.org may be partly updated; `lmsops publish --env dev --rollback` "
        "restores the last recorded publish\n"
    )


def test_an_s3_refusal_is_a_user_error_with_the_advice(wired, monkeypatch, tmp_path):
    error = ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "PutObject")

    def refused(*args, **kwargs):
        raise error

    monkeypatch.setattr(command, "run_publish", refused)
    with pytest.raises(UserError) as caught:
        command.run(run_args(tmp_path))
    assert str(caught.value) == (
        f"S3 refused a request: {error}. s3://dev.example.org may be partly updated; "
        "`lmsops publish --env dev --rollback` restores the last recorded publish"
    )


def test_run_rollback_hints_with_the_site_domain(monkeypatch, capsys):
    seen = []

    class Choice:
        record_id, why = "r", "w"

    monkeypatch.setattr(command, "rollback", lambda *a, **k: (Summary(0, 0, 0), [], Choice()))
    monkeypatch.setattr(command, "undo_confirm_reasons", lambda *a: seen.append(a) or ())
    args = argparse.Namespace(
        dry_run=False, max_delete_share=0.5, no_progress=True, yes=False, env="dev"
    )
    command.run_rollback("s3", "b", "d.org", confirm=None, args=args)
    assert seen == [("s3", "b", "d.org")]


# --- the rollback refusal shows five deletions at most ------------------------------------


@pytest.mark.parametrize(
    "count, shown",
    [(5, "k0, k1, k2, k3, k4"), (6, "k0, k1, k2, k3, k4 ...")],
)
def test_the_rollback_refusal_lists_five_deletions_then_dots(count, shown):
    review = DeleteReview(tuple(f"k{i}" for i in range(count)), 10, "index.html", 0.1)
    what, advice = flow.rollback_refusal("r7", review)
    assert what == "roll s3://{bucket} back to publish r7"
    assert advice == (
        f"The rollback makes the objects of publish r7 live again, so it deletes those it did "
        f"not have ({shown}). If that is what you want (undoing a rollback is), confirm at the "
        "prompt or run the rollback again with --yes."
    )
