"""`aws SERVICE OPERATION --param value ...` carried out with boto3: the runbook's commands, run.

The integration tests follow docs/runbook.md by running its shell lines in bash with `aws`
defined as this script, so the exact command lines an on-call engineer copies are the ones
tested, without the AWS CLI (which pins its own botocore) among the project's dependencies.
It covers what those lines use: the service's operations and parameters as named by the
CLI (from botocore's model), JSON for structured parameters, `--query` (JMESPath) and
`--output json|text`. The AWS CLI's own customisations (`aws s3 cp`, waiters) are not here.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime

import boto3
import jmespath
from botocore import xform_name

CLI_SERVICE_NAMES = {"s3api": "s3"}
STRUCTURED = {"structure", "list", "map"}


def parse_arguments(operation, words: list[str]) -> tuple[dict, str | None, str, str | None]:
    """(API parameters, --query, --output, outfile) from the words after the operation."""
    members = operation.input_shape.members if operation.input_shape else {}
    by_flag = {"--" + xform_name(name, "-"): name for name in members}
    params: dict = {}
    query, output, outfile = None, "json", None
    rest = list(words)
    while rest:
        flag = rest.pop(0)
        if not flag.startswith("--"):
            outfile = flag  # `aws s3api get-object ... OUTFILE`
            continue
        if flag in ("--query", "--output"):
            value = rest.pop(0)
            query, output = (value, output) if flag == "--query" else (query, value)
            continue
        negated = flag.startswith("--no-") and "--" + flag[5:] in by_flag
        name = by_flag.get("--" + flag[5:] if negated else flag)
        if name is None:
            sys.exit(f"aws: unknown option {flag} for {operation.name}")
        shape = members[name]
        if shape.type_name == "boolean":
            params[name] = not negated
            continue
        value = rest.pop(0)
        if shape.type_name in STRUCTURED:
            params[name] = json.loads(value)
        elif shape.type_name in ("integer", "long"):
            params[name] = int(value)
        else:
            params[name] = value
    return params, query, output, outfile


def as_json_value(value):
    """Timestamps as the CLI prints them (ISO 8601, `2026-11-29T21:10:00+00:00`)."""
    return value.isoformat() if isinstance(value, datetime) else str(value)


def as_text(result) -> str:
    """The CLI's `--output text` for the shapes the runbook queries: scalars, rows of them."""
    if result is None:
        return "None"
    if isinstance(result, list) and any(isinstance(item, list) for item in result):
        return "\n".join(as_text(item) for item in result)
    if isinstance(result, list):
        return "\t".join(as_text(item) for item in result)
    if isinstance(result, dict):
        return "\t".join(as_text(value) for value in result.values())
    return as_json_value(result)


def main(argv: list[str]) -> None:
    service, operation_name, *words = argv
    client = boto3.client(CLI_SERVICE_NAMES.get(service, service))
    model = client.meta.service_model
    names = {xform_name(name, "-"): name for name in model.operation_names}
    if operation_name not in names:
        sys.exit(f"aws: unknown operation {service} {operation_name}")
    operation = model.operation_model(names[operation_name])
    params, query, output, outfile = parse_arguments(operation, words)
    response = getattr(client, xform_name(operation.name))(**params)
    response.pop("ResponseMetadata", None)
    if "Body" in response:
        body = response.pop("Body").read()
        if outfile is None:
            sys.exit(f"aws: {operation_name} needs an output file")
        with open(outfile, "wb") as out:
            out.write(body)
    result = jmespath.search(query, response) if query else response
    if output == "text":
        print(as_text(result))
    else:
        print(json.dumps(result, indent=2, default=as_json_value))


if __name__ == "__main__":
    main(sys.argv[1:])
