"""The hooks `lmsops deploy` gives its flows: pre-flight checks, CloudWatch, diagnosis."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from lmsops.annotations import Client
from lmsops.deploy import diagnostics, ecs, preflight, render
from lmsops.deploy.revisions import Revision


def make_preflight(
    image: render.ImageRef, allow_external_image: bool
) -> Callable[[dict, dict, str, str | None], None]:
    """The pre-flight hook: every check of lmsops.deploy.preflight, before anything is written."""
    clients = preflight.Clients.from_session(ecs.make_session())

    def check(service: dict, rendered: dict, container: str, current_image: str | None) -> None:
        preflight.verify(
            clients,
            service,
            rendered,
            image,
            current_image=current_image,
            allow_external_image=allow_external_image,
        )

    return check


def make_rollback_preflight(
    allow_external_image: bool, ecr: Client | None = None
) -> Callable[[dict, Revision, Revision], None]:
    """Before a rollback updates the service: the images its target brings back are in ECR."""
    ecr = ecr or ecs.make_session().client("ecr")

    def check(service: dict, current: Revision, target: Revision) -> None:
        preflight.verify_rollback(
            ecr,
            service,
            current.definition,
            target.definition,
            allow_external_image=allow_external_image,
        )

    return check


def make_cloudwatch() -> Client:
    return ecs.make_session().client("cloudwatch")


def make_diagnose(client: Client) -> Callable[[str, str, str | None, str | None], list[str]]:
    """Why a deployment failed: its stopped tasks and the service events since the start."""
    since = dt.datetime.now(dt.UTC)

    def why(
        cluster: str, service: str, deployment_id: str | None, revision: str | None
    ) -> list[str]:
        found = diagnostics.diagnose(
            client,
            cluster,
            service,
            deployment_id=deployment_id,
            task_definition_arn=revision,
            since=since,
        )
        return found.lines()

    return why
