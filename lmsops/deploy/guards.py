"""What must hold of a service before a deploy touches it."""

from __future__ import annotations

from lmsops.deploy import rollout
from lmsops.deploy.outcome import status_command
from lmsops.errors import UserError


def primary_completed(service: dict) -> bool:
    """Whether the service's PRIMARY deployment finished (its revision is safe to build on)."""
    primary = rollout.primary_deployment(service)
    if primary is None:
        return False
    state = primary.get("rolloutState")
    return state == rollout.COMPLETED or (state is None and len(service["deployments"]) == 1)


def refuse_concurrent_deployment(service: dict, cluster: str) -> None:
    """One deploy at a time: a deployment in progress belongs to someone else."""
    busy = [d for d in service.get("deployments", []) if d.get("rolloutState") == "IN_PROGRESS"]
    if not busy:
        return
    first = busy[0]
    began = first.get("createdAt")
    began_text = began.isoformat() if hasattr(began, "isoformat") else str(began or "unknown")
    name = str(service.get("serviceName"))
    raise UserError(
        f"deployment {first.get('id')} of {first.get('taskDefinition')} has been IN_PROGRESS "
        f"on service {name} since {began_text}; one deploy at a time: wait for it "
        f"({status_command(cluster, name)}) or roll it back (lmsops deploy rollback "
        f"--cluster {cluster} --service {name} --to <revision ARN>)"
    )


def require_ecs_controller(service: dict) -> None:
    controller = service.get("deploymentController", {}).get("type", "ECS")
    if controller != "ECS":
        raise UserError(
            f"service {service.get('serviceName')} uses the {controller} deployment controller; "
            "lmsops deploy drives ECS rolling deployments only"
        )
