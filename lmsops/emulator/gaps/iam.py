"""IAM in the emulator: AWS-managed policies exist, as in every account."""

from __future__ import annotations

import os


def load_aws_managed_iam_policies() -> None:
    """Gap: moto only knows AWS-managed IAM policies when asked to load them.

    AWS: every account can attach `arn:aws:iam::aws:policy/...` managed policies
    (e.g. `service-role/AmazonECSTaskExecutionRolePolicy`). moto loads its copy of
    them into each IAM backend only when MOTO_IAM_LOAD_MANAGED_POLICIES=true at the
    time the backend is created, so the variable is set before the server creates one.
    """
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
