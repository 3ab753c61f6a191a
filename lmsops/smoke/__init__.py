"""`lmsops smoke <component> --env <env>`: check a deployed component by following its wiring.

Each component has a function `outputs -> list[Check]` that reads the real
resources with boto3 (AWS, or the emulator through the standard AWS_*
environment) starting from the live root's Terraform outputs. The functions
work on their own, outside pytest and outside the command.

Files: checks (the Check result, running one check, the report), backend and
backend_readiness (live/<env>/backend), frontend (live/<env>/frontend), command
(the CLI and TARGETS, the component -> check function registry).
"""

from lmsops.smoke.backend import check_backend
from lmsops.smoke.checks import Check, render, run_check
from lmsops.smoke.command import TARGETS, add_parser, run
from lmsops.smoke.frontend import check_frontend

__all__ = [
    "TARGETS",
    "Check",
    "add_parser",
    "check_backend",
    "check_frontend",
    "render",
    "run",
    "run_check",
]
