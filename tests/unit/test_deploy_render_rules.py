"""Rendering details test_deploy_render.py passes over: the diff's exact text, copies that
stay independent of the revision they came from, and the messages a user reads."""

from __future__ import annotations

import datetime as dt

import pytest

from lmsops.deploy import render
from lmsops.errors import UserError


def test_the_diff_is_sorted_indented_json_with_both_labels_and_dates_as_text():
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


def test_the_register_input_is_a_deep_copy_of_the_revision_and_its_tags():
    described = {"family": "lms", "containerDefinitions": [{"name": "app", "image": "a:1"}]}
    tags = [{"key": "Project", "value": "lms"}]
    kwargs = render.register_input(described, tags, ["family", "containerDefinitions", "tags"])
    kwargs["containerDefinitions"][0]["image"] = "changed"
    kwargs["tags"][0]["value"] = "changed"
    assert described["containerDefinitions"][0]["image"] == "a:1"
    assert tags == [{"key": "Project", "value": "lms"}]


def test_env_vars_are_set_on_a_container_that_had_none():
    source = {"containerDefinitions": [{"name": "app", "image": "a:1"}]}
    rendered = render.render(source, "app", "a:2", {"FEATURE": "on"})
    assert rendered["containerDefinitions"] == [
        {"name": "app", "image": "a:2", "environment": [{"name": "FEATURE", "value": "on"}]}
    ]


def test_a_malformed_env_var_message_says_what_a_key_may_hold():
    with pytest.raises(UserError) as refused:
        render.parse_env_vars(["1X=y"])
    assert str(refused.value) == (
        "--env-var '1X=y' must be KEY=VALUE with KEY made of letters, digits and underscores, "
        "not starting with a digit"
    )


def test_an_unknown_container_names_the_revision_by_arn_else_by_family():
    arn = "arn:aws:ecs:us-east-1:123456789012:task-definition/lms:7"
    containers = [{"name": "app"}, {"name": "proxy"}]
    with pytest.raises(UserError) as by_arn:
        render.choose_container({"taskDefinitionArn": arn, "containerDefinitions": containers}, "x")
    assert str(by_arn.value) == (
        f"container 'x' not found in task definition {arn}; it has: app, proxy"
    )
    with pytest.raises(UserError) as by_family:
        render.choose_container({"family": "lms", "containerDefinitions": []}, "x")
    assert str(by_family.value) == (
        "container 'x' not found in task definition lms; it has: no containers"
    )


def test_a_revision_without_container_definitions_has_no_containers():
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
