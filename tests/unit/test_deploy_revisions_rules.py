"""Which revision a deploy starts from and which ones stay (lmsops.deploy.revisions).

A fake ECS client holds a family of revisions with their tags, so each rule of the module
docstring is asserted on its own: the base, the carried variables, the tags, the pruning.
"""

from __future__ import annotations

import pytest

from lmsops.deploy import revisions
from lmsops.errors import UserError

PREFIX = "arn:aws:ecs:us-east-1:123456789012:task-definition"


def arn(number: int, family: str = "lms") -> str:
    return f"{PREFIX}/{family}:{number}"


def lmsops_tags(status="completed", terraform="", env_vars="", previous="") -> dict:
    return {
        revisions.STATUS: status,
        revisions.TERRAFORM_REVISION: str(terraform),
        revisions.ENV_VARS: env_vars,
        revisions.PREVIOUS: previous,
    }


class FakeEcs:
    """ACTIVE revisions by number (definition extras, tags); calls that change things kept."""

    def __init__(self, family: dict[int, tuple[dict, dict]], others: tuple[str, ...] = ()):
        self.family = family
        self.others = others  # ARNs of other families sharing the name prefix
        self.tagged: list[tuple[str, list]] = []
        self.deregistered: list[str] = []
        self.described: list[str] = []

    def get_paginator(self, name):
        assert name == "list_task_definitions"
        return self

    def paginate(self, familyPrefix, status):
        assert (familyPrefix, status) == ("lms", "ACTIVE")
        numbers = sorted(self.family)
        half = len(numbers) // 2
        yield {"taskDefinitionArns": [arn(n) for n in numbers[:half]] + list(self.others)}
        yield {"taskDefinitionArns": [arn(n) for n in numbers[half:]]}
        yield {}

    def describe_task_definition(self, taskDefinition, include):
        assert include == ["TAGS"]
        self.described.append(taskDefinition)
        number = int(taskDefinition.rsplit(":", 1)[1])
        extras, tags = self.family[number]
        definition = {"taskDefinitionArn": arn(number), "family": "lms", **extras}
        return {
            "taskDefinition": definition,
            "tags": [{"key": k, "value": v} for k, v in tags.items()],
        }

    def tag_resource(self, resourceArn, tags):
        self.tagged.append((resourceArn, tags))

    def deregister_task_definition(self, taskDefinition):
        self.deregistered.append(taskDefinition)


def containers(*envs: dict[str, str]) -> dict:
    return {
        "containerDefinitions": [
            {"name": f"c{i}", "environment": [{"name": k, "value": v} for k, v in env.items()]}
            for i, env in enumerate(envs)
        ]
    }


def revision(number: int, tags: dict | None = None, **extras) -> revisions.Revision:
    return revisions.Revision({"taskDefinitionArn": arn(number), **extras}, tags or {})


# --- Revision ----------------------------------------------------------------------------


def test_a_terraform_revision_derives_from_itself_and_has_no_status():
    rev = revision(7, {"team": "lms"})
    assert (rev.number, rev.by_lmsops, rev.status, rev.terraform_number) == (7, False, None, 7)
    assert rev.env_var_names == []
    assert rev.other_tags() == [{"key": "team", "value": "lms"}]


def test_an_lmsops_revision_reads_its_tags():
    rev = revision(9, {**lmsops_tags("pending", 7, "B A", arn(8)), "team": "lms"})
    assert (rev.by_lmsops, rev.status, rev.terraform_number) == (True, "pending", 7)
    assert rev.env_var_names == ["B", "A"]
    assert rev.other_tags() == [{"key": "team", "value": "lms"}]


@pytest.mark.parametrize("value", ["", "seven"])
def test_an_lmsops_revision_with_an_unreadable_terraform_tag_derives_from_nothing(value):
    assert revision(9, lmsops_tags(terraform=value)).terraform_number == 0
    assert revision(9, {revisions.STATUS: "completed"}).terraform_number == 0


def test_describe_turns_tags_into_a_dict_and_a_tag_without_value_into_empty():
    class Client:
        def describe_task_definition(self, taskDefinition, include):
            return {
                "taskDefinition": {"taskDefinitionArn": arn(3)},
                "tags": [{"key": "a", "value": "1"}, {"key": "b"}],
            }

    assert revisions.describe(Client(), arn(3)).tags == {"a": "1", "b": ""}


# --- choose_base -------------------------------------------------------------------------


def test_a_completed_terraform_revision_with_nothing_newer_is_the_base_and_terraforms():
    client = FakeEcs({5: ({}, {}), 6: ({}, {})})
    running = revision(6)
    base = revisions.choose_base(client, running, running_completed=True)
    assert base.source is running
    assert (base.terraform_arn, base.carried_env, base.env_var_names) == (arn(6), {}, [])
    assert base.why == "the revision the service runs (its deployment completed)"
    assert client.described == []  # revision 6 itself is the newest: nothing to look at


def test_a_completed_lmsops_revision_names_terraforms_revision_it_derives_from():
    client = FakeEcs({5: ({}, {}), 8: ({}, lmsops_tags(terraform=5, env_vars="A"))})
    running = revision(8, lmsops_tags(terraform=5, env_vars="A B"))
    base = revisions.choose_base(client, running, running_completed=True)
    assert base.source is running
    assert base.terraform_arn == arn(5)
    assert base.env_var_names == ["A", "B"]
    assert base.carried_env == {}


def test_a_completed_lmsops_revision_deriving_from_nothing_known_has_no_terraform_arn():
    client = FakeEcs({8: ({}, lmsops_tags(terraform=""))})
    running = revision(8, lmsops_tags(terraform=""))
    base = revisions.choose_base(client, running, running_completed=True)
    assert base.source is running
    assert base.terraform_arn is None


def test_a_newer_terraform_revision_wins_and_earlier_env_vars_carry_over():
    client = FakeEcs(
        {
            5: ({}, {}),
            6: ({}, lmsops_tags(terraform=5)),
            7: ({}, {"team": "lms"}),
            8: ({}, lmsops_tags("failed", terraform=5)),
        }
    )
    running = revision(
        6,
        lmsops_tags(terraform=5, env_vars="A B C"),
        **containers({"A": "1", "X": "9"}, {"C": "3"}),
    )
    base = revisions.choose_base(client, running, running_completed=True)
    assert base.source.arn == arn(7)
    assert base.terraform_arn == arn(7)
    assert base.carried_env == {"A": "1", "C": "3"}
    assert base.env_var_names == ["A", "C"]
    assert base.why == (
        f"Terraform's revision 7 is newer than revision 5 that the running {arn(6)} derives "
        "from; the --env-var values earlier deploys set (A, C) carry over"
    )


def test_a_newer_terraform_revision_without_variables_to_carry_says_none():
    client = FakeEcs({5: ({}, {}), 6: ({}, lmsops_tags(terraform=5)), 7: ({}, {})})
    running = revision(6, lmsops_tags(terraform=5))
    base = revisions.choose_base(client, running, running_completed=True)
    assert base.why.endswith("the --env-var values earlier deploys set (none) carry over")
    assert (base.carried_env, base.env_var_names) == ({}, [])


@pytest.mark.parametrize(
    "tags, completed, shown",
    [
        (lmsops_tags("completed", terraform=5), False, "completed"),
        (lmsops_tags("rolled-back", terraform=5), True, "rolled-back"),
    ],
    ids=["deployment-not-completed", "rolled-back-revision"],
)
def test_a_running_revision_that_did_not_complete_is_never_built_on(tags, completed, shown):
    client = FakeEcs({4: ({}, {}), 5: ({}, {}), 6: ({}, tags)})
    running = revision(6, tags, **containers({"A": "1"}))
    base = revisions.choose_base(client, running, running_completed=completed)
    # Any Terraform revision counts, even one older than the running one's own base.
    assert base.source.arn == arn(5)
    assert (base.terraform_arn, base.carried_env, base.env_var_names) == (arn(5), {}, [])
    assert base.why == (
        f"Terraform's revision: the service runs {arn(6)}, whose deployment did not complete "
        f"({shown})"
    )


def test_a_terraform_revision_whose_deployment_did_not_complete_is_its_own_base_anew():
    client = FakeEcs({5: ({}, {}), 6: ({}, {})})
    base = revisions.choose_base(client, revision(6), running_completed=False)
    assert (base.source.arn, base.terraform_arn) == (arn(6), arn(6))
    assert base.why == (
        f"Terraform's revision: the service runs {arn(6)}, whose deployment did not complete "
        "(deployment not COMPLETED)"
    )


@pytest.mark.parametrize("status, shown", [("interrupted", "interrupted"), (None, "not COMPLETED")])
def test_no_trusted_base_and_no_terraform_revision_is_a_user_error(status, shown):
    tags = lmsops_tags(status) if status else {}
    # status None: a Terraform revision already deregistered (not ACTIVE) that still runs
    client = FakeEcs({6: ({}, tags)} if status else {})
    with pytest.raises(UserError) as caught:
        revisions.choose_base(client, revision(6, tags), running_completed=False)
    assert str(caught.value) == (
        f"the service runs {arn(6)}, whose deployment did not complete ({shown}), and the "
        "family has no revision registered by Terraform to start from; run `terraform apply` "
        "of the backend root, or deploy with --from-running to start from the running "
        "revision anyway"
    )


# --- looking revisions up ----------------------------------------------------------------


def test_newest_terraform_revision_stops_at_the_known_one_and_skips_lmsops_ones():
    client = FakeEcs(
        {3: ({}, {}), 5: ({}, {}), 6: ({}, lmsops_tags()), 7: ({}, lmsops_tags())},
        others=(f"{PREFIX}/lms-worker:99",),
    )
    assert revisions.newest_terraform_revision(client, "lms", above=4).arn == arn(5)
    assert revisions.newest_terraform_revision(client, "lms", above=5) is None
    assert client.described[-2:] == [arn(7), arn(6)]  # stopped before describing 5
    assert revisions.newest_terraform_revision(client, "lms", above=0).arn == arn(5)
    assert revisions.terraform_managed(client, "lms") == arn(5)


def test_terraform_managed_is_none_when_lmsops_registered_every_active_revision():
    client = FakeEcs({6: ({}, lmsops_tags()), 7: ({}, lmsops_tags("pending"))})
    assert revisions.terraform_managed(client, "lms") is None


def test_rollback_candidate_is_the_newest_completed_or_terraform_revision_but_excluded():
    client = FakeEcs(
        {
            4: ({}, {}),
            5: ({}, lmsops_tags("completed")),
            6: ({}, lmsops_tags("rolled-back")),
            7: ({}, lmsops_tags("failed")),
            8: ({}, lmsops_tags("completed")),
        }
    )
    assert revisions.newest_rollback_candidate(client, "lms", exclude=arn(8)) == arn(5)
    assert revisions.newest_rollback_candidate(client, "lms", exclude=arn(5)) == arn(8)
    only_terraform = FakeEcs({4: ({}, {}), 9: ({}, lmsops_tags("interrupted"))})
    assert revisions.newest_rollback_candidate(only_terraform, "lms", exclude=arn(1)) == arn(4)
    nothing = FakeEcs({9: ({}, lmsops_tags("superseded"))})
    assert revisions.newest_rollback_candidate(nothing, "lms", exclude=arn(1)) is None


# --- carried variables and tags ----------------------------------------------------------


def test_carried_env_vars_reads_only_the_names_earlier_deploys_set_in_any_container():
    running = revision(
        6,
        lmsops_tags(env_vars="A EMPTY MISSING"),
        containerDefinitions=[
            {"name": "app", "environment": [{"name": "A", "value": "1"}, {"name": "EMPTY"}]},
            {"name": "sidecar"},
            {"name": "worker", "environment": [{"name": "Z", "value": "26"}]},
        ],
    )
    environment = revisions._container_env(running)
    assert environment == {"app": {"A": "1", "EMPTY": ""}, "sidecar": {}, "worker": {"Z": "26"}}
    assert revisions.carried_env_vars(running, environment) == {"A": "1", "EMPTY": ""}
    assert revisions._container_env(revision(6)) == {}


def test_new_tags_keep_the_sources_own_tags_and_record_the_chain():
    source = revision(6, {**lmsops_tags(terraform=5, env_vars="B"), "team": "lms"})
    base = revisions.Base(source, arn(5), {}, ["B", "A"], "why")
    assert revisions.new_tags(base, ["C", "A"], arn(6)) == [
        {"key": "team", "value": "lms"},
        {"key": revisions.STATUS, "value": "pending"},
        {"key": revisions.TERRAFORM_REVISION, "value": "5"},
        {"key": revisions.ENV_VARS, "value": "A B C"},
        {"key": revisions.PREVIOUS, "value": arn(6)},
    ]


def test_new_tags_of_a_base_deriving_from_nothing_leave_the_terraform_tag_empty():
    base = revisions.Base(revision(6, lmsops_tags(terraform="")), None, {}, [], "why")
    tags = {t["key"]: t["value"] for t in revisions.new_tags(base, [], arn(6))}
    assert tags[revisions.TERRAFORM_REVISION] == ""
    assert tags[revisions.ENV_VARS] == ""


def test_mark_tags_the_status_and_does_nothing_without_a_revision():
    client = FakeEcs({})
    revisions.mark(client, None, revisions.FAILED)
    revisions.mark(client, "", revisions.FAILED)
    assert client.tagged == []
    revisions.mark(client, arn(9), revisions.SUPERSEDED)
    assert client.tagged == [(arn(9), [{"key": "lmsops:deploy-status", "value": "superseded"}])]


# --- prune -------------------------------------------------------------------------------


def test_prune_keeps_the_newest_n_and_the_protected_and_logs_each_deregistration():
    client = FakeEcs({n: ({}, {}) for n in range(1, 8)})
    log: list[str] = []
    doomed = revisions.prune(client, "lms", 3, {arn(2)}, log.append)
    assert doomed == [arn(4), arn(3), arn(1)]
    assert client.deregistered == doomed
    assert log == [f"deregistered {arn(4)}", f"deregistered {arn(3)}", f"deregistered {arn(1)}"]


def test_prune_with_no_more_than_keep_revisions_deregisters_nothing():
    client = FakeEcs({n: ({}, {}) for n in range(1, 4)})
    assert revisions.prune(client, "lms", 3, set(), print) == []
    assert client.deregistered == []


def test_the_base_rule_constants_are_the_documented_tag_names():
    assert revisions.LMSOPS_KEYS == (
        "lmsops:deploy-status",
        "lmsops:terraform-revision",
        "lmsops:env-vars",
        "lmsops:previous",
    )
    assert (
        revisions.PENDING,
        revisions.COMPLETED,
        revisions.ROLLED_BACK,
        revisions.FAILED,
        revisions.SUPERSEDED,
        revisions.INTERRUPTED,
        revisions.REFUSED,
    ) == ("pending", "completed", "rolled-back", "failed", "superseded", "interrupted", "refused")


def test_terraform_managed_finds_revision_1_too():
    client = FakeEcs({1: ({}, {}), 2: ({}, lmsops_tags()), 3: ({}, lmsops_tags())})
    assert revisions.terraform_managed(client, "lms") == arn(1)


def test_an_untrusted_running_revision_may_start_from_terraforms_revision_1():
    client = FakeEcs({1: ({}, {}), 2: ({}, lmsops_tags("failed", terraform=1))})
    running = revision(2, lmsops_tags("failed", terraform=1))
    assert revisions.choose_base(client, running, running_completed=True).source.arn == arn(1)
