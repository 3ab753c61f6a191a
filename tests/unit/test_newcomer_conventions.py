"""Issue 12, points 6 and 7: no stray `.venv` file from tox, helpful help, a useful ending.

Every command and option has a help line, `--env` lists its choices, help
speaks about what a command does (not about the code), and `lmsops up` ends
by saying what can be opened locally and what the names would be on AWS.
"""

from __future__ import annotations

import argparse
import configparser
from pathlib import Path

import pytest

from lmsops import cli, environment, preflight_env, roots, up
from lmsops.emulator import EmulatorInfo

REPO = Path(__file__).resolve().parents[2]


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = cli.build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    found = {}
    for name, child in sub.choices.items():
        found[name] = child
        for inner in child._actions:
            if isinstance(inner, argparse._SubParsersAction):
                found.update({f"{name} {n}": p for n, p in inner.choices.items()})
    return found


def test_tox_writes_no_venv_redirect_file():
    # tox >= 4.50 writes a `.venv` file unless told not to; the README's
    # `python3 -m venv .venv` then fails and `git status` shows it.
    config = configparser.ConfigParser(interpolation=None)
    config.read(REPO / "tox.ini")
    assert config.getboolean("tox", "venv_redirect") is False
    requirement = (REPO / "requirements" / "tox.txt").read_text()
    assert "tox==" in requirement  # the version `make` installs is one with the setting


def test_every_command_has_a_help_line():
    parser = cli.build_parser()
    [sub] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    described = {action.dest: action.help for action in sub._choices_actions}
    assert set(described) == set(sub.choices)
    assert all(help_text and len(help_text) > 15 for help_text in described.values())


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_option_has_a_help_line(command):
    parser = subcommands()[command]
    undescribed = [
        (action.option_strings or [action.dest])[0]
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not action.help
    ]
    assert undescribed == []


@pytest.mark.parametrize(
    "command",
    sorted(
        name
        for name, parser in subcommands().items()
        if any("--env" in a.option_strings for a in parser._actions)
    ),
)
def test_env_lists_its_choices(command):
    [env] = [a for a in subcommands()[command]._actions if "--env" in a.option_strings]
    assert tuple(env.choices) == environment.ENVIRONMENTS
    assert env.help


@pytest.mark.parametrize("command", ["up", "validate", "smoke"])
def test_help_speaks_to_users_not_about_internals(command):
    text = subcommands()[command].format_help()
    assert text.count("\n") > 5
    for internal in ("TARGETS", "-> list[Check]", "outside pytest", "registers itself"):
        assert internal not in text


def test_up_ends_with_what_can_be_opened_locally_and_the_names_on_aws():
    info = EmulatorInfo(pid=1, port=5443, endpoint="https://127.0.0.1:5443", ca_bundle="/ca.pem")
    results = {
        "frontend": {
            "bucket_name": "dev.acme-lms.com",
            "site_url": "http://dev.acme-lms.com",
            "website_endpoint": "dev.acme-lms.com.s3-website-us-east-1.amazonaws.com",
        },
        "backend": {
            "target_group_arn": "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/1",
            "backend_url": "https://api.dev.acme-lms.com",
            "lb_dns_name": "lms-dev-123.us-east-1.elb.amazonaws.com",
            "ecr_repository_url": "1.dkr.ecr.us-east-1.amazonaws.com/lms-backend",
        },
    }
    guide = up.local_guide(info, Path("/checkout"), results, "dev")
    image = "1.dkr.ecr.us-east-1.amazonaws.com/lms-backend:v2"
    assert f"lmsops emulator push-image {image} && lmsops deploy --env dev --image {image}" in guide
    assert "curl --cacert /ca.pem https://127.0.0.1:5443/dev.acme-lms.com/index.html" in guide
    assert (
        "aws elbv2 describe-target-health --target-group-arn "
        "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/tg/1" in guide
    )
    assert "http://dev.acme-lms.com" in guide
    assert "https://api.dev.acme-lms.com" in guide
    assert f'eval "$({preflight_env.lmsops_executable()} emulator env)"' in guide
    assert f"make -C {roots.REPO_ROOT} down" in guide
    assert "discards everything" in guide


def test_a_failed_up_says_whether_the_emulator_survived():
    info = EmulatorInfo(pid=1, port=5443, endpoint="https://127.0.0.1:5443", ca_bundle="/e/c.pem")
    error = up.UserError("terraform apply failed (exit 1):\nError: creating ALB")
    running = up.failure_report("live/dev/backend", error, Path("/l/up.log"), info, True)
    assert running.startswith("`lmsops up` failed at live/dev/backend:\nterraform apply failed")
    assert "The whole run is logged in /l/up.log." in running
    assert "left running on https://127.0.0.1:5443" in running
    assert f"`make -C {roots.REPO_ROOT} down` to stop it" in running
    gone = up.failure_report("live/dev/backend", error, Path("/l/up.log"), info, False)
    assert "stopped during the run (see its log /e/emulator.log)" in gone
    assert "left running" not in gone
