"""`lmsops publish` arguments: what each flag parses to, and the help a person reads.

Found by mutation testing: a flag that lost its type, default or `required` parsed on
without any test noticing, and the help text was never looked at.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from lmsops import environment
from lmsops.publish import command
from lmsops.publish.local import LocalFile
from lmsops.publish.plan import RemoteObject, is_unchanged


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
        "--no-progress", "--outputs-json", "out.json",
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
        " ".join(command.DESCRIPTION.split()),
        "safety checks (all before the first write;",
    ):
        assert line in text, line
    top = argparse.ArgumentParser(prog="lmsops")
    command.add_parser(top.add_subparsers())
    assert "upload a built static site to an environment's site bucket, or roll it back" in (
        " ".join(top.format_help().split())
    )


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
