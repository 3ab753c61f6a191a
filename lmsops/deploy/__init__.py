"""Continuous delivery of the backend: `lmsops deploy`.

Modules: `render` (image reference, task-definition rendering and diff), `ecs` (look-ups and
AWS error messages), `rollout` (follow one ECS deployment), `oneoff` (`--run-before` task),
`flow` (the whole deploy, with rollback), `cli` (argparse wiring and output).
"""

from lmsops.deploy.cli import add_parser

__all__ = ["add_parser"]
