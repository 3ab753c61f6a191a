"""Type names shared across lmsops for what carries no type information of its own.

boto3 and botocore ship none (mypy reads them as Any, see [tool.mypy] in pyproject.toml):
these names say which boto3 object a parameter expects.
"""

from __future__ import annotations

import argparse
from typing import Any, TypeAlias

Client: TypeAlias = Any  # a boto3 client, e.g. boto3.client("s3")
Session: TypeAlias = Any  # a boto3.session.Session
# What `lmsops` hands each command module's add_parser(subparsers).
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
