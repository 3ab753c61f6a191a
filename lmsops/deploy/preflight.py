"""Checks before a deploy registers anything (in the spirit of ecspresso's `verify`).

A deploy that registers a revision whose image was never pushed, or whose roles or log
group are gone, fails minutes later in ECS (tasks that cannot start, a circuit-breaker
rollback). These checks find such problems in seconds, before any write.

Public interface
----------------
`Clients(ecr, iam, logs, elbv2, logs_in=None)`
    The read-only clients the checks use. `Clients.from_session(session)` builds them
    from a boto3 Session (the deploy's region). `logs_in(region)` returns a CloudWatch
    Logs client for an `awslogs-region` other than `logs`' own (default: a client of
    the same session in that region).

`problems(clients, service, rendered, image, *, current_image=None,
          allow_external_image=False) -> list[str]`
    Every problem found; an empty list means "go". Each problem is one sentence that
    names the thing and says how to fix it. Arguments:
      service        the described ECS service (DescribeServices `services[0]`)
      rendered       the rendered task definition (RegisterTaskDefinition arguments,
                     e.g. `render.render(...)`'s result)
      image          the new image, `render.parse_image(text)`
      current_image  the image the container runs now (its repository is the service's
                     own); None skips the "same repository" rule
      allow_external_image
                     accept (without checking it exists) an image from another registry,
                     another account's or region's ECR, or another repository of ours
    Checks: the image is in this account's ECR registry (the service's account and
    region, from its ARN) and its tag/digest exists there (ecr:DescribeImages); the
    task and execution roles exist (iam:GetRole); every awslogs log group exists unless
    `awslogs-create-group` is "true" (logs:DescribeLogGroups); each of the service's
    loadBalancers bindings names a container of the rendered revision that maps
    containerPort, and the target group exists and forwards to that port
    (elasticloadbalancing:DescribeTargetGroups). A call AWS refuses (e.g. AccessDenied)
    is reported as a problem naming the permission, never skipped silently.

`verify(clients, service, rendered, image, *, current_image=None,
        allow_external_image=False) -> None`
    Runs `problems(...)` and raises lmsops.errors.UserError (exit status 2) listing
    each problem when there is any.

`verify_rollback(ecr, service, current, target, *, allow_external_image=False) -> None`
    Before `lmsops deploy rollback` updates the service: `image_problems` of each
    container whose image differs between the running revision CURRENT and TARGET
    (described task definitions); raises UserError listing them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from lmsops.deploy.render import ImageRef, parse_image
from lmsops.errors import UserError
from lmsops.preflight_env import is_loopback

ECR_REGISTRY = re.compile(
    r"^(?P<account>[0-9]{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$"
)
ARN = re.compile(r"^arn:(?P<partition>[^:]+):ecs:(?P<region>[^:]+):(?P<account>[0-9]{12}):")
IMAGE_NOT_FOUND = ("ImageNotFoundException",)
REPOSITORY_NOT_FOUND = ("RepositoryNotFoundException",)
ROLE_NOT_FOUND = ("NoSuchEntity", "NoSuchEntityException")
TARGET_GROUP_NOT_FOUND = ("TargetGroupNotFound", "TargetGroupNotFoundException")


@dataclass(frozen=True)
class Clients:
    ecr: Any
    iam: Any
    logs: Any
    elbv2: Any
    logs_in: Callable[[str], Any] | None = None

    @classmethod
    def from_session(cls, session: Any) -> Clients:
        return cls(
            ecr=session.client("ecr"),
            iam=session.client("iam"),
            logs=session.client("logs"),
            elbv2=session.client("elbv2"),
            logs_in=lambda region: session.client("logs", region_name=region),
        )

    def logs_for(self, region: str | None) -> Any:
        if not region or region == self.logs.meta.region_name:
            return self.logs
        if self.logs_in is None:
            raise ValueError(f"no CloudWatch Logs client for region {region}")
        return self.logs_in(region)


def verify(
    clients: Clients,
    service: dict,
    rendered: dict,
    image: ImageRef,
    *,
    current_image: str | None = None,
    allow_external_image: bool = False,
) -> None:
    """Raise UserError listing every problem `problems` finds; return when there is none."""
    found = problems(
        clients,
        service,
        rendered,
        image,
        current_image=current_image,
        allow_external_image=allow_external_image,
    )
    if found:
        listed = "\n".join(f"  - {problem}" for problem in found)
        raise UserError(
            f"preflight found {len(found)} problem(s); nothing was registered or changed:\n{listed}"
        )


def verify_rollback(
    ecr: Any,
    service: dict,
    current: dict,
    target: dict,
    *,
    allow_external_image: bool = False,
) -> None:
    """Raise UserError when an image the rollback target TARGET brings back is not in ECR."""
    found = rollback_image_problems(
        ecr, service, current, target, allow_external_image=allow_external_image
    )
    if found:
        listed = "\n".join(f"  - {problem}" for problem in found)
        raise UserError(
            f"preflight found {len(found)} problem(s) with rollback target "
            f"{target.get('taskDefinitionArn')}; the service was not updated:\n{listed}"
        )


def rollback_image_problems(
    ecr: Any,
    service: dict,
    current: dict,
    target: dict,
    *,
    allow_external_image: bool = False,
) -> list[str]:
    """`image_problems` of each container whose image the rollback changes (CURRENT -> TARGET)."""
    running = {c.get("name"): c.get("image") for c in current.get("containerDefinitions", [])}
    found = []
    for container in target.get("containerDefinitions", []):
        image, now = container.get("image"), running.get(container.get("name"))
        if image and image != now:
            found.extend(
                image_problems(ecr, service, parse_image(image), now, allow_external_image)
            )
    return found


def problems(
    clients: Clients,
    service: dict,
    rendered: dict,
    image: ImageRef,
    *,
    current_image: str | None = None,
    allow_external_image: bool = False,
) -> list[str]:
    """Every problem that would stop the new revision from running; empty when none."""
    return [
        *image_problems(clients.ecr, service, image, current_image, allow_external_image),
        *role_problems(clients.iam, rendered),
        *log_group_problems(clients, rendered),
        *load_balancer_problems(clients.elbv2, service, rendered),
    ]


def own_registry(service: dict) -> tuple[str, str]:
    """(account, region) of the service, read from its ARN."""
    match = ARN.match(service.get("serviceArn", ""))
    if not match:
        raise UserError(f"cannot tell the account of service ARN {service.get('serviceArn')!r}")
    return match["account"], match["region"]


def image_problems(
    ecr: Any,
    service: dict,
    image: ImageRef,
    current_image: str | None,
    allow_external_image: bool,
) -> list[str]:
    account, region = own_registry(service)
    registry = f"{account}.dkr.ecr.{region}.amazonaws.com"
    match = ECR_REGISTRY.match(image.registry or "")
    if not match or (match["account"], match["region"]) != (account, region):
        if allow_external_image:
            return []
        return [
            f"image {image.text} is not in this account's ECR registry {registry}, so its "
            f"existence cannot be checked: push it to {registry}/<repository>, or allow an "
            "external image explicitly (allow_external_image / --allow-external-image)"
        ]
    expected = _own_repository(current_image, account, region)
    if expected and image.repository != expected and not allow_external_image:
        return [
            f"image {image.text} is in ECR repository {image.repository}, but the service "
            f"runs images of {expected}: deploy {registry}/{expected}:<tag>, or allow "
            "another repository explicitly (allow_external_image / --allow-external-image)"
        ]
    return _missing_image(ecr, account, image)


def _own_repository(current_image: str | None, account: str, region: str) -> str | None:
    if not current_image:
        return None
    try:
        current = parse_image(current_image)
    except UserError:
        return None
    match = ECR_REGISTRY.match(current.registry or "")
    if match and (match["account"], match["region"]) == (account, region):
        return current.repository
    return None


def _missing_image(ecr: Any, account: str, image: ImageRef) -> list[str]:
    image_id = {"imageDigest": image.digest} if image.digest else {"imageTag": image.tag}
    wanted = f"digest {image.digest}" if image.digest else f"tag {image.tag}"
    try:
        found = ecr.describe_images(
            registryId=account, repositoryName=image.repository, imageIds=[image_id]
        )["imageDetails"]
    except ClientError as exc:
        if _code(exc) in REPOSITORY_NOT_FOUND:
            return [
                f"ECR repository {image.repository} does not exist in account {account}: "
                "check the image name, or apply the service's Terraform root to create it"
            ]
        if _code(exc) in IMAGE_NOT_FOUND:
            return [
                f"image {image.text} is not in ECR ({image.repository} has no {wanted}): "
                f"push it first ({_push_commands(image.text)}) or deploy a tag that was pushed"
            ]
        return [_refused(exc, f"check image {image.text}", "ecr:DescribeImages")]
    if image.digest and image.tag and not any(image.tag in d.get("imageTags", []) for d in found):
        return [
            f"image {image.text}: digest {image.digest} exists in {image.repository} but is "
            f"not tagged {image.tag}: deploy {image.repository}@{image.digest} or the digest "
            f"that {image.tag} points to"
        ]
    return []


def _push_commands(image: str) -> str:
    """How to push IMAGE: docker, and on the local emulator (no Docker registry) lmsops."""
    pushes = f"docker push {image}"
    if is_loopback(os.environ.get("AWS_ENDPOINT_URL", "")):
        pushes += f"; on the local emulator: lmsops emulator push-image {image}"
    return pushes


def role_problems(iam: Any, rendered: dict) -> list[str]:
    found = []
    for field, label in (("taskRoleArn", "task role"), ("executionRoleArn", "execution role")):
        role = rendered.get(field)
        if not role:
            continue
        name = role.rsplit("/", 1)[-1]
        try:
            iam.get_role(RoleName=name)
        except ClientError as exc:
            if _code(exc) in ROLE_NOT_FOUND:
                found.append(
                    f"{label} {role} ({field} of the task definition) does not exist: "
                    "apply the service's Terraform root to recreate it, or fix "
                    f"{field} in the family's latest revision"
                )
            else:
                found.append(_refused(exc, f"check {label} {role}", "iam:GetRole"))
    return found


def log_group_problems(clients: Clients, rendered: dict) -> list[str]:
    found = []
    for container in rendered.get("containerDefinitions", []):
        config = container.get("logConfiguration") or {}
        options = config.get("options") or {}
        group = options.get("awslogs-group")
        if config.get("logDriver") != "awslogs" or not group:
            continue
        if str(options.get("awslogs-create-group", "")).lower() == "true":
            continue  # the execution role creates it on first use
        region = options.get("awslogs-region")
        try:
            exists = _log_group_exists(clients.logs_for(region), group)
        except ClientError as exc:
            found.append(_refused(exc, f"check log group {group}", "logs:DescribeLogGroups"))
            continue
        if not exists:
            where = f" in {region}" if region else ""
            found.append(
                f"log group {group}{where} (awslogs-group of container {container.get('name')}) "
                "does not exist, so the tasks could not start: apply the service's Terraform "
                "root to recreate it, or create it (aws logs create-log-group "
                f"--log-group-name {group})"
            )
    return found


def _log_group_exists(logs: Any, name: str) -> bool:
    paginator = logs.get_paginator("describe_log_groups")
    for page in paginator.paginate(logGroupNamePrefix=name):
        if any(g.get("logGroupName") == name for g in page.get("logGroups", [])):
            return True
    return False


def load_balancer_problems(elbv2: Any, service: dict, rendered: dict) -> list[str]:
    found = []
    containers = {c.get("name"): c for c in rendered.get("containerDefinitions", [])}
    for binding in service.get("loadBalancers", []):
        name, port = binding.get("containerName"), binding.get("containerPort")
        container = containers.get(name)
        if container is None:
            found.append(
                f"the service sends load balancer traffic to container {name}, which the new "
                f"revision does not have (it has: {', '.join(sorted(containers)) or 'none'}): "
                "keep the container name the service was created with"
            )
            continue
        ports = [m.get("containerPort") for m in container.get("portMappings", [])]
        if port not in ports:
            found.append(
                f"the service sends load balancer traffic to port {port} of container {name}, "
                f"but the new revision maps {ports or 'no ports'}: keep containerPort {port} "
                "in the container's portMappings"
            )
        if binding.get("targetGroupArn"):
            found.extend(_target_group_problems(elbv2, binding["targetGroupArn"], port))
    return found


def _target_group_problems(elbv2: Any, arn: str, port: int | None) -> list[str]:
    try:
        groups = elbv2.describe_target_groups(TargetGroupArns=[arn])["TargetGroups"]
    except ClientError as exc:
        if _code(exc) in TARGET_GROUP_NOT_FOUND:
            return [
                f"target group {arn} of the service does not exist: apply the environment's "
                "backend Terraform root to recreate it"
            ]
        return [
            _refused(exc, f"check target group {arn}", "elasticloadbalancing:DescribeTargetGroups")
        ]
    group_port = groups[0].get("Port") if groups else None
    if group_port is not None and port is not None and group_port != port:
        return [
            f"target group {arn} forwards to port {group_port}, but the service binds "
            f"container port {port}: make the target group's port and the container port equal "
            "(the backend root's container_port sets both)"
        ]
    return []


def _refused(exc: ClientError, what: str, permission: str) -> str:
    error = exc.response.get("Error", {})
    return (
        f"could not {what}: AWS answered {error.get('Code')}: {error.get('Message')}; "
        f"allow {permission} to the deploying identity"
    )


def _code(exc: ClientError) -> str:
    return exc.response.get("Error", {}).get("Code", "")
