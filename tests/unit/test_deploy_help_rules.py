"""`lmsops deploy` help a person reads, and what each option parses to.

Every option's help line of the three verbs is asserted as written (whitespace folded:
argparse wraps at the terminal width), and no text carries mutation markers.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from help_text import without_paths

from lmsops import roots
from lmsops.cli import main
from lmsops.deploy import cli

TARGET_LINES = (
    "target (an environment's outputs, or explicit names):",
    "--env {dev,prod} read live/<env>/backend outputs",
    "--cluster CLUSTER ECS cluster name or ARN (overrides the output)",
    "--service SERVICE ECS service name or ARN (overrides the output)",
    "--repo REPO repository holding live/ (default: $LMSOPS_EMULATOR_CHECKOUT, the "
    "emulator's checkout, when the emulator env is loaded, else",
    "--tf-data-dir TF_DATA_DIR TF_DATA_DIR the live root was initialised with",
    "--output {text,json} text for people (default), json: one JSON object on stdout for CI",
)


def help_text(capsys, *verb: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(["deploy", *verb, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def folded(text: str) -> str:
    return " ".join(text.split())


def test_deploy_help_documents_every_option(capsys):
    raw = help_text(capsys)
    text = folded(raw)
    for line in (
        *TARGET_LINES,
        "`lmsops deploy`: ship a backend image to an ECS service and watch the rollout.",
        "--image IMAGE new image: <registry>/<repo>:<tag> or ...@sha256:<digest> (required)",
        "--env-var KEY=VALUE set an environment variable of the container (repeatable; later "
        "deploys keep it)",
        "--from-running start from the revision the service runs even if Terraform registered "
        "a newer one",
        "--run-before COMMAND run COMMAND as a one-off task on the new revision first; it must "
        "exit 0",
        "--keep N after success, deregister revisions older than the newest N (never "
        "Terraform's, the running one or the rollback target)",
        "--bake SECONDS after COMPLETED, keep watching the service's deployment alarms this "
        "long and roll back if one fires",
        "--allow-external-image accept an image outside the service's own ECR repository (not "
        "checked to exist)",
        "--dry-run run the pre-flight checks and print the task definition diff; change nothing",
        "--container CONTAINER container whose image changes (default: output or the only one)",
        "--poll-interval POLL_INTERVAL seconds between polls (default: 10)",
        "--timeout TIMEOUT seconds to wait for the rollout (and again for a rollback) "
        "(default: 900)",
        "{status,rollback} "
        "status the service's deployments, running revision and recent events "
        "rollback put the service back on an earlier revision and follow that deployment",
    ):
        assert line in text, line
    assert "XX" not in without_paths(text)
    assert raw.startswith("usage: \n  lmsops deploy   (--env ENV | --cluster C --service S)")
    # The epilog keeps its own line breaks (RawDescriptionHelpFormatter).
    assert "\nverbs (the default is to deploy; give a verb first, before its options):\n" in raw
    assert "\n  lmsops deploy status --env dev --wait\n" in raw


def test_status_help_documents_its_options(capsys):
    raw = help_text(capsys, "status")
    text = folded(raw)
    for line in (
        *TARGET_LINES,
        "usage: lmsops deploy status [-h]",
        "Show the service's deployments, the revision it runs and recent events; with --wait, "
        "follow the deployment in progress until it settles (exit 0 when it COMPLETED, 1 "
        "otherwise).",
        "--wait follow the deployment in progress until it settles",
        "--poll-interval POLL_INTERVAL seconds between polls of --wait (default: 10)",
        "--timeout TIMEOUT seconds --wait follows the deployment (default: 900)",
    ):
        assert line in text, line
    assert "XX" not in without_paths(text)
    assert "--container" not in text


def test_rollback_help_documents_its_options(capsys):
    text = folded(help_text(capsys, "rollback"))
    for line in (
        *TARGET_LINES,
        "usage: lmsops deploy rollback [-h]",
        "Update the service to an earlier revision (default: the one it ran before the current "
        "deploy, recorded by `lmsops deploy`) and follow the deployment until it settles. Works "
        "while a deployment is in progress (e.g. after an interrupted deploy). Registers nothing.",
        "--to REVISION revision ARN, family:revision or revision number (default: the recorded "
        "previous)",
        "--allow-external-image accept target images outside the service's own ECR repository "
        "(not checked)",
        "--poll-interval POLL_INTERVAL seconds between polls (default: 10)",
        "--timeout TIMEOUT seconds to wait for the rollback deployment (default: 900)",
    ):
        assert line in text, line
    assert "XX" not in without_paths(text)


def test_a_percent_sign_in_the_checkout_path_is_shown_as_is(capsys, monkeypatch):
    monkeypatch.setenv("LMSOPS_EMULATOR_CHECKOUT", "/srv/100%done")
    assert "here: /srv/100%done)" in folded(help_text(capsys))


def test_a_misspelt_verb_is_a_usage_error_naming_the_verbs(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["deploy", "stauts", "--cluster", "c"])
    assert exited.value.code == 2
    assert "argument {status,rollback}: invalid choice: 'stauts'" in capsys.readouterr().err


def test_the_top_level_help_says_what_deploy_does(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = folded(capsys.readouterr().out)
    assert (
        "deploy deploy a backend image (new revision, rolling update, watch); status; rollback"
    ) in text
    assert "XX" not in without_paths(text)


# --- what the options parse to ---------------------------------------------------------------


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="lmsops")
    cli.add_parser(parser.add_subparsers())
    return parser.parse_args(["deploy", *argv])


def test_deploy_defaults():
    args = parse("--image", "repo/app:1")
    assert (args.func, args.verb, args.parser.prog) == (cli.command, None, "lmsops deploy")
    assert (args.env, args.cluster, args.service, args.container) == (None, None, None, None)
    assert (args.repo, args.tf_data_dir) == (roots.REPO_ROOT, None)
    assert (args.env_var, args.from_running, args.run_before) == ([], False, None)
    assert (args.keep, args.bake, args.allow_external_image, args.dry_run) == (
        None,
        None,
        False,
        False,
    )
    assert (args.output, args.poll_interval, args.timeout) == ("text", 10.0, 900.0)


def test_deploy_options_parse_to_their_values():
    args = parse(
        *("--env", "prod", "--cluster", "c", "--service", "s", "--container", "app"),
        *("--repo", "/r", "--tf-data-dir", "/d", "--image", "repo/app:1"),
        *("--env-var", "A=1", "--env-var", "B=2", "--from-running", "--run-before", "bin/m"),
        *("--keep", "3", "--bake", "2.5", "--allow-external-image", "--dry-run"),
        *("--output", "json", "--poll-interval", "0.5", "--timeout", "60"),
    )
    assert (args.env, args.cluster, args.service, args.container) == ("prod", "c", "s", "app")
    assert (args.repo, args.tf_data_dir) == (Path("/r"), Path("/d"))
    assert (args.env_var, args.from_running, args.run_before) == (["A=1", "B=2"], True, "bin/m")
    assert (args.keep, args.bake, args.allow_external_image, args.dry_run) == (3, 2.5, True, True)
    assert (args.output, args.poll_interval, args.timeout) == ("json", 0.5, 60.0)


def test_status_and_rollback_parse_their_own_options():
    status = parse("status", "--env", "dev", "--wait", "--timeout", "5")
    assert (status.func, status.verb, status.env, status.wait, status.timeout) == (
        cli.status_command,
        "status",
        "dev",
        True,
        5.0,
    )
    assert (status.output, status.poll_interval, status.repo) == ("text", 10.0, roots.REPO_ROOT)
    assert parse("status").wait is False
    rollback = parse("rollback", "--cluster", "c", "--service", "s", "--to", "7")
    assert (rollback.func, rollback.verb, rollback.to) == (cli.rollback_command, "rollback", "7")
    assert (rollback.allow_external_image, rollback.timeout) == (False, 900.0)
    assert parse("rollback", "--allow-external-image").allow_external_image is True
    assert parse("rollback").to is None


@pytest.mark.parametrize("verb", [[], ["status"], ["rollback"]])
def test_an_unknown_output_format_or_env_is_a_usage_error(capsys, verb):
    for bad, refused in (
        (["--output", "yaml"], "argument --output: invalid choice: 'yaml'"),
        (["--env", "staging"], "argument --env: invalid choice: 'staging'"),
    ):
        with pytest.raises(SystemExit) as exited:
            parse(*verb, *bad)
        assert exited.value.code == 2
        assert refused in capsys.readouterr().err
