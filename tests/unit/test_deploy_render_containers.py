"""Rendering a revision: which container changes, env var edge cases, the diff's exact text."""

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
