"""Which task-definition revision a deploy starts from, and which revisions must stay.

Every revision `lmsops deploy` registers carries tags (`lmsops:*`, set with the revision and
updated with TagResource as the deployment goes):

- `lmsops:deploy-status`: pending (registered, not yet completed), completed, rolled-back,
  failed (a failed `--run-before`), superseded, interrupted, refused;
- `lmsops:terraform-revision`: the number of the Terraform-registered revision it derives from;
- `lmsops:env-vars`: names of the variables set with `--env-var` along the chain, space separated;
- `lmsops:previous`: the revision the service ran before it (the rollback target).

A revision without `lmsops:deploy-status` was registered by someone else: Terraform's
`aws_ecs_task_definition`. The newest such ACTIVE revision is the one Terraform manages.

The base rule (see `choose_base`): start from the revision the service runs when its
deployment completed, so nothing that never completed a deployment (failed, rolled back,
interrupted, only used by `--run-before`) is ever built on. If Terraform registered a newer
revision than the one the running revision derives from, start from Terraform's revision
instead (its environment, secrets and sizes win) and carry over the variables earlier
deploys set with `--env-var` (the image is always the one being deployed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from lmsops.annotations import Client
from lmsops.deploy import ecs
from lmsops.errors import UserError

STATUS = "lmsops:deploy-status"
TERRAFORM_REVISION = "lmsops:terraform-revision"
ENV_VARS = "lmsops:env-vars"
PREVIOUS = "lmsops:previous"
LMSOPS_KEYS = (STATUS, TERRAFORM_REVISION, ENV_VARS, PREVIOUS)

PENDING = "pending"
COMPLETED = "completed"
ROLLED_BACK = "rolled-back"
FAILED = "failed"
SUPERSEDED = "superseded"
INTERRUPTED = "interrupted"
REFUSED = "refused"


@dataclass
class Revision:
    """A described revision with its tags as a dict."""

    definition: dict
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return self.definition["taskDefinitionArn"]

    @property
    def number(self) -> int:
        return ecs.revision_of(self.arn)

    @property
    def by_lmsops(self) -> bool:
        return STATUS in self.tags

    @property
    def status(self) -> str | None:
        return self.tags.get(STATUS)

    @property
    def terraform_number(self) -> int:
        """The Terraform revision this one derives from (itself when Terraform registered it)."""
        if not self.by_lmsops:
            return self.number
        try:
            return int(self.tags.get(TERRAFORM_REVISION, ""))
        except ValueError:
            return 0

    @property
    def env_var_names(self) -> list[str]:
        return self.tags.get(ENV_VARS, "").split()

    def other_tags(self) -> list[dict]:
        """Tags that are not lmsops's own, in AWS form (they are copied to the new revision)."""
        return [{"key": k, "value": v} for k, v in self.tags.items() if k not in LMSOPS_KEYS]


@dataclass
class Base:
    """Where the new revision comes from and what it must carry."""

    source: Revision
    terraform_arn: str | None
    carried_env: dict[str, str]
    env_var_names: list[str]
    why: str


def describe(client: Client, reference: str) -> Revision:
    definition, tags = ecs.describe_task_definition(client, reference)
    return Revision(definition, {t["key"]: t.get("value", "") for t in tags})


def choose_base(client: Client, running: Revision, running_completed: bool) -> Base:
    """The revision a deploy renders from (module docstring: the base rule)."""
    family = ecs.family_of(running.arn)
    trusted = running_completed and running.status in (None, COMPLETED)
    known = running.terraform_number if trusted else 0
    newer = newest_terraform_revision(client, family, above=known)
    if trusted and newer is None:
        terraform_arn = running.arn if not running.by_lmsops else _arn(running.arn, known)
        return Base(
            running,
            terraform_arn if known else None,
            {},
            running.env_var_names,
            "the revision the service runs (its deployment completed)",
        )
    if newer is None:
        raise ecs_error_no_base(running)
    if not trusted:
        return Base(
            newer,
            newer.arn,
            {},
            [],
            f"Terraform's revision: the service runs {running.arn}, whose deployment did not "
            f"complete ({running.status or 'deployment not COMPLETED'})",
        )
    carried = carried_env_vars(running, _container_env(running))
    return Base(
        newer,
        newer.arn,
        carried,
        sorted(carried),
        f"Terraform's revision {newer.number} is newer than revision {known} that the running "
        f"{running.arn} derives from; the --env-var values earlier deploys set "
        f"({', '.join(sorted(carried)) or 'none'}) carry over",
    )


def newest_terraform_revision(client: Client, family: str, above: int) -> Revision | None:
    """The newest ACTIVE revision numbered above ABOVE that lmsops did not register."""
    for arn in ecs.active_revisions(client, family):
        if ecs.revision_of(arn) <= above:
            return None
        candidate = describe(client, arn)
        if not candidate.by_lmsops:
            return candidate
    return None


def newest_rollback_candidate(client: Client, family: str, exclude: str) -> str | None:
    """The newest ACTIVE revision but EXCLUDE that completed a deployment, or Terraform's."""
    for arn in ecs.active_revisions(client, family):
        if arn == exclude:
            continue
        candidate = describe(client, arn)
        if candidate.status in (None, COMPLETED):
            return candidate.arn
    return None


def terraform_managed(client: Client, family: str) -> str | None:
    """The ARN of the revision Terraform manages: the newest ACTIVE one lmsops did not tag."""
    found = newest_terraform_revision(client, family, above=0)
    return found.arn if found else None


def carried_env_vars(running: Revision, environment: dict[str, dict[str, str]]) -> dict:
    """Values of the variables earlier deploys set, read from the running revision."""
    names = running.env_var_names
    values: dict[str, str] = {}
    for variables in environment.values():
        values.update({name: variables[name] for name in names if name in variables})
    return values


def _container_env(revision: Revision) -> dict[str, dict[str, str]]:
    return {
        c["name"]: {e["name"]: e.get("value", "") for e in c.get("environment", [])}
        for c in revision.definition.get("containerDefinitions", [])
    }


def new_tags(base: Base, env_var_names: list[str], previous: str) -> list[dict]:
    """All tags of the revision rendered from BASE: the source's own plus lmsops's."""
    names = sorted(set(base.env_var_names) | set(env_var_names))
    ours = {
        STATUS: PENDING,
        TERRAFORM_REVISION: str(base.source.terraform_number or ""),
        ENV_VARS: " ".join(names),
        PREVIOUS: previous,
    }
    return base.source.other_tags() + [{"key": k, "value": v} for k, v in ours.items()]


def mark(client: Client, arn: str | None, status: str) -> None:
    """Record what became of a revision lmsops registered."""
    if arn:
        client.tag_resource(resourceArn=arn, tags=[{"key": STATUS, "value": status}])


def ecs_error_no_base(running: Revision) -> UserError:
    return UserError(
        f"the service runs {running.arn}, whose deployment did not complete "
        f"({running.status or 'not COMPLETED'}), and the family has no revision registered "
        "by Terraform to start from; run `terraform apply` of the backend root, or deploy "
        "with --from-running to start from the running revision anyway"
    )


def _arn(arn: str, number: int) -> str:
    return f"{arn.rsplit(':', 1)[0]}:{number}"


def prune(
    client: Client, family: str, keep: int, protected: set[str | None], log: Callable[[str], None]
) -> list[str]:
    """Deregister the family's ACTIVE revisions beyond the newest KEEP, except PROTECTED."""
    active = ecs.active_revisions(client, family)
    doomed = [arn for arn in active[keep:] if arn not in protected]
    for arn in doomed:
        client.deregister_task_definition(taskDefinition=arn)
        log(f"deregistered {arn}")
    return doomed
