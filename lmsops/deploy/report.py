"""What `lmsops deploy` prints: results, refusals and early interrupts, as text or JSON."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

from lmsops.deploy import flow, interrupts
from lmsops.errors import UserError


def print_early_interrupt(
    request: flow.DeployRequest, interrupt: BaseException, output: str
) -> int:
    """Interrupted before anything was registered: say so, in the format asked for."""
    signal_text = interrupts.signal_name(interrupt)
    exit_code = interrupts.exit_code(signal_text)
    report = {
        "outcome": flow.INTERRUPTED,
        "signal": signal_text,
        "cluster": request.cluster,
        "service": request.service,
        "state": "nothing registered, service not updated",
        "exit_code": exit_code,
    }
    if output == "json":
        print(json.dumps(report, indent=2, sort_keys=True))
    else:
        print(f"interrupted ({signal_text}) before anything was registered: nothing changed")
    return exit_code


@contextlib.contextmanager
def refusals_as_json(output: str, known: dict) -> Iterator[None]:
    """With --output json a refusal still prints one JSON object on stdout.

    The UserError goes on to lmsops.cli.main, which prints the message on stderr and
    exits with its status (2), as for text output.
    """
    try:
        yield
    except UserError as refusal:
        if output == "json":
            print_refusal(refusal, known)
        raise


def print_refusal(refusal: UserError, known: dict) -> None:
    fields = {key: value for key, value in known.items() if value is not None}
    report = {**fields, "outcome": flow.REFUSED, "exit_code": refusal.exit_code}
    report["reason"] = str(refusal)
    print(json.dumps(report, indent=2, sort_keys=True))


def print_result(result: flow.DeployResult, output: str) -> None:
    if output == "json":
        print(json.dumps(result.as_dict(), indent=2, sort_keys=True))
        return
    if result.outcome == flow.DRY_RUN:
        print(result.diff or "no change: the rendered revision equals its source", end="")
        print(f"\nstarts from {result.source_task_definition}: {result.source_reason}")
        print(f"dry run: nothing registered; the service runs {result.previous_task_definition}")
        return
    headline = f"{result.outcome}: {result.service} on {result.cluster}"
    if result.signal:
        headline = f"{result.outcome} ({result.signal}): {result.service} on {result.cluster}"
    print(headline)
    print(f"  image      {result.image}")
    print(f"  previous   {result.previous_task_definition}")
    print(f"  new        {result.new_task_definition}")
    print(f"  from       {result.source_task_definition}")
    if result.deployment_id:
        print(f"  deployment {result.deployment_id}")
    if result.rollback_deployment_id:
        print(f"  rollback   {result.rollback_deployment_id}")
    if result.state:
        print(f"  state      {result.state}")
    print(f"  duration   {result.duration_seconds:.1f} s")
    if result.reason and result.exit_code:
        print(f"  reason     {result.reason}")
        for line in result.alarms:
            print(f"  alarm      {line}")
        for line in result.diagnostics:
            print(f"  why        {line}")
        if not result.diagnostics:  # the diagnosis lists the events itself
            for event in result.events:
                print(f"  event      {event}")
    for arn in result.deregistered:
        print(f"  deregistered {arn}")
    for step in result.next_steps:
        print(f"  next       {step}")
