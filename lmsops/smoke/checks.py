"""What every smoke check returns, how a check that cannot read its resource fails, the report."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass

from botocore.exceptions import BotoCoreError, ClientError

# What a check may raise while reading a resource: it then fails, naming the error.
EXPECTED_ERRORS = (ClientError, BotoCoreError, LookupError, KeyError, ValueError, TypeError)


@dataclass(frozen=True)
class Check:
    """One link of the wiring: what was checked, whether it holds, and what was seen."""

    name: str
    ok: bool
    detail: str = ""


def run_check(name: str, check: Callable[[], tuple[bool, str]]) -> Check:
    try:
        ok, detail = check()
    except EXPECTED_ERRORS as exc:
        return Check(name, False, f"{type(exc).__name__}: {exc}")
    return Check(name, ok, detail)


def render(checks: list[Check], output: str = "text") -> str:
    if output == "json":
        return json.dumps([asdict(check) for check in checks], indent=2)
    lines = [f"{'PASS' if c.ok else 'FAIL'}  {c.name}: {c.detail}" for c in checks]
    failed = sum(not c.ok for c in checks)
    lines.append(f"{len(checks) - failed} passed, {failed} failed")
    return "\n".join(lines)
