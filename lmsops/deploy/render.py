"""Render a new task-definition revision: validate the image, swap it in, diff old and new.

The fields copied from a described revision are the members of RegisterTaskDefinition's
input shape in botocore's service model (an allow-list), so describe-only fields such as
`revision`, `status`, `registeredAt`, `compatibilities` or `requiresAttributes` never reach
the register call, and new register fields appear with a newer botocore without code changes.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from lmsops.errors import UserError

_DOMAIN_PART = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
# A registry is recognised the way Docker does: it has a dot, a port, or is localhost.
_REGISTRY = (
    rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})+(?::[0-9]+)?"
    rf"|{_DOMAIN_PART}:[0-9]+|localhost)"
)
_PATH_PART = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_DIGEST = r"sha256:[a-f0-9]{64}"
IMAGE_PATTERN = re.compile(
    rf"^(?:(?P<registry>{_REGISTRY})/)?"
    rf"(?P<repository>{_PATH_PART}(?:/{_PATH_PART})*)"
    rf"(?::(?P<tag>{_TAG}))?"
    rf"(?:@(?P<digest>{_DIGEST}))?$"
)
ENV_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class ImageRef:
    text: str
    registry: str | None
    repository: str
    tag: str | None
    digest: str | None


def parse_image(text: str) -> ImageRef:
    """Validate an image reference that pins a tag or a sha256 digest."""
    match = IMAGE_PATTERN.match(text)
    if not match:
        raise UserError(
            f"malformed image reference {text!r}: expected "
            "[registry/]repository:tag or [registry/]repository@sha256:<64 hex digits>, "
            "e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com/lms-backend:3f2a9c1"
        )
    if not match["tag"] and not match["digest"]:
        raise UserError(
            f"image reference {text!r} has neither a tag nor a digest; "
            "deploy an immutable reference such as <repository>:<commit sha> "
            "or <repository>@sha256:<digest>"
        )
    return ImageRef(text, match["registry"], match["repository"], match["tag"], match["digest"])


def parse_env_vars(items: Iterable[str]) -> dict[str, str]:
    """KEY=VALUE strings to a dict; the value may be empty or contain '='."""
    result: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not ENV_NAME_PATTERN.match(name):
            raise UserError(
                f"--env-var {item!r} must be KEY=VALUE with KEY made of letters, digits "
                "and underscores, not starting with a digit"
            )
        result[name] = value
    return result


def register_input(described: dict, tags: list[dict] | None, allowed: Iterable[str]) -> dict:
    """The RegisterTaskDefinition arguments that recreate DESCRIBED as it is."""
    allowed = set(allowed)
    kwargs = {
        key: copy.deepcopy(value)
        for key, value in described.items()
        if key in allowed and value is not None
    }
    if tags and "tags" in allowed:
        kwargs["tags"] = copy.deepcopy(tags)
    return kwargs


def container_names(task_definition: dict) -> list[str]:
    return [c["name"] for c in task_definition.get("containerDefinitions", [])]


def choose_container(task_definition: dict, requested: str | None) -> str:
    """REQUESTED if the task definition has it; the only container when none was named."""
    names = container_names(task_definition)
    if requested is None:
        if len(names) == 1:
            return names[0]
        raise UserError(
            f"task definition {task_definition.get('family')} has {len(names)} containers "
            f"({', '.join(names)}); name the one to update with --container"
        )
    if requested not in names:
        raise UserError(
            f"container {requested!r} not found in task definition "
            f"{task_definition.get('taskDefinitionArn', task_definition.get('family'))}; "
            f"it has: {', '.join(names) or 'no containers'}"
        )
    return requested


def render(
    source: dict, container: str, image: str, env_changes: dict[str, str] | None = None
) -> dict:
    """A copy of SOURCE (register arguments) with CONTAINER's image and env vars replaced."""
    rendered = copy.deepcopy(source)
    target = next(c for c in rendered["containerDefinitions"] if c["name"] == container)
    target["image"] = image
    if env_changes:
        target["environment"] = _set_env(target.get("environment", []), env_changes)
    return rendered


def _set_env(environment: list[dict], changes: dict[str, str]) -> list[dict]:
    pending = dict(changes)
    updated = []
    for entry in environment:
        name = entry.get("name")
        if name in pending:
            updated.append({"name": name, "value": pending.pop(name)})
        else:
            updated.append(entry)
    updated.extend({"name": name, "value": value} for name, value in pending.items())
    return updated


def diff(before: dict, after: dict, before_label: str, after_label: str) -> str:
    """Unified diff of the two task definitions as sorted, indented JSON."""
    return "".join(
        difflib.unified_diff(
            _as_lines(before), _as_lines(after), fromfile=before_label, tofile=after_label
        )
    )


def _as_lines(value: dict) -> list[str]:
    return (json.dumps(value, indent=2, sort_keys=True, default=str) + "\n").splitlines(
        keepends=True
    )
