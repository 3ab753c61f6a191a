"""Rendering details test_deploy_render.py passes over: which container changes, env var
edge cases, copies independent of the revision they came from, the diff's exact text, and
the messages a user reads."""

from __future__ import annotations

import datetime as dt

import pytest

from lmsops.deploy import render
from lmsops.errors import UserError

ARN = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms-dev-backend:7"


def two_containers() -> dict:
    return {
        "family": "lms-dev-backend",
        "containerDefinitions": [
            {"name": "app", "image": "repo/app:1"},
            {
                "name": "proxy",
                "image": "repo/envoy:1.30",
                "environment": [{"name": "P", "value": "1"}],
            },
        ],
    }


def test_an_unknown_container_names_the_revision_by_its_arn():
    with pytest.raises(UserError) as refused:
        render.choose_container({**two_containers(), "taskDefinitionArn": ARN}, "web")
    assert str(refused.value) == (
        f"container 'web' not found in task definition {ARN}; it has: app, proxy"
    )


def test_an_unknown_container_names_the_revision_by_its_family_without_an_arn():
    with pytest.raises(UserError) as refused:
        render.choose_container(two_containers(), "web")
    assert str(refused.value) == (
        "container 'web' not found in task definition lms-dev-backend; it has: app, proxy"
    )


def test_a_revision_without_container_definitions_says_it_has_none():
    assert render.container_names({"family": "f"}) == []
    with pytest.raises(UserError) as refused:
        render.choose_container({"family": "f"}, "app")
    assert (
        str(refused.value)
        == "container 'app' not found in task definition f; it has: no containers"
    )


def test_env_changes_give_a_container_without_environment_one_and_the_sidecar_keeps_its_own():
    source = two_containers()
    rendered = render.render(source, "app", "repo/app:2", {"LOG_LEVEL": "debug"})
    app, proxy = rendered["containerDefinitions"]
    assert app == {
        "name": "app",
        "image": "repo/app:2",
        "environment": [{"name": "LOG_LEVEL", "value": "debug"}],
    }
    assert proxy == two_containers()["containerDefinitions"][1]
    assert source == two_containers()


@pytest.mark.parametrize("item", ["1ABC=x", "A-B=x", "NOVALUE", "=x"])
def test_a_malformed_env_var_is_refused_with_the_whole_rule(item):
    with pytest.raises(UserError) as refused:
        render.parse_env_vars([item])
    assert str(refused.value) == (
        f"--env-var {item!r} must be KEY=VALUE with KEY made of letters, digits "
        "and underscores, not starting with a digit"
    )


def test_env_vars_keep_the_last_value_of_a_repeated_key():
    assert render.parse_env_vars(["_A1=x", "_A1=", "B=a=b"]) == {"_A1": "", "B": "a=b"}


def test_register_input_shares_nothing_with_the_described_revision():
    described = two_containers()
    tags = [{"key": "lmsops:previous", "value": ARN}]
    kwargs = render.register_input(described, tags, ["family", "containerDefinitions", "tags"])
    kwargs["containerDefinitions"][0]["image"] = "changed"
    kwargs["containerDefinitions"].append({"name": "extra"})
    kwargs["tags"][0]["value"] = "changed"
    kwargs["tags"].append({"key": "k", "value": "v"})
    assert described == two_containers()
    assert tags == [{"key": "lmsops:previous", "value": ARN}]


def test_the_diff_is_sorted_indented_json_under_both_labels():
    before = {"image": "repo/app:1", "cpu": 256, "family": "f"}
    after = {"family": "f", "image": "repo/app:2", "cpu": 256}
    assert render.diff(before, after, "lms-dev-backend:7", "new revision") == (
        "--- lms-dev-backend:7\n"
        "+++ new revision\n"
        "@@ -1,5 +1,5 @@\n"
        " {\n"
        '   "cpu": 256,\n'
        '   "family": "f",\n'
        '-  "image": "repo/app:1"\n'
        '+  "image": "repo/app:2"\n'
        " }\n"
    )


def test_the_diff_shows_a_timestamp_as_text():
    when = dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC)
    text = render.diff({"registeredAt": when}, {"registeredAt": when, "cpu": 256}, "a", "b")
    assert '   "registeredAt": "2024-05-01 12:00:00+00:00"\n' in text
    assert '+  "cpu": 256,\n' in text


def test_the_diff_indents_nested_values_and_shows_only_the_changed_lines_context():
    before = {"b": 1, "a": {"when": dt.datetime(2026, 1, 2, tzinfo=dt.UTC)}}
    after = {"b": 2, "a": {"when": dt.datetime(2026, 1, 2, tzinfo=dt.UTC)}}
    assert render.diff(before, after, "lms:7", "new revision") == (
        "--- lms:7\n"
        "+++ new revision\n"
        "@@ -2,5 +2,5 @@\n"
        '   "a": {\n'
        '     "when": "2026-01-02 00:00:00+00:00"\n'
        "   },\n"
        '-  "b": 1\n'
        '+  "b": 2\n'
        " }\n"
    )


def test_a_change_on_the_last_line_is_a_whole_line_not_a_missing_newline():
    assert render.diff({"a": 1}, {"a": 2}, "x", "y").splitlines()[-2:] == ['+  "a": 2', " }"]
    assert "No newline" not in render.diff({"a": 1}, {"a": 2}, "x", "y")


def test_no_container_named_and_none_defined_says_there_are_0_containers():
    with pytest.raises(UserError) as refused:
        render.choose_container({"family": "lms"}, None)
    assert str(refused.value) == (
        "task definition lms has 0 containers (); name the one to update with --container"
    )


def test_image_reference_messages_say_what_is_expected():
    with pytest.raises(UserError) as malformed:
        render.parse_image("lms backend:1")
    assert str(malformed.value) == (
        "malformed image reference 'lms backend:1': expected [registry/]repository:tag or "
        "[registry/]repository@sha256:<64 hex digits>, e.g. "
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend:3f2a9c1"
    )
    with pytest.raises(UserError) as floating:
        render.parse_image("repo/lms-backend")
    assert str(floating.value) == (
        "image reference 'repo/lms-backend' has neither a tag nor a digest; deploy an "
        "immutable reference such as <repository>:<commit sha> or <repository>@sha256:<digest>"
    )
