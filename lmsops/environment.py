"""Bring an environment up: bootstrap remote state, then init and apply live roots.

Used by `lmsops up` against the emulator and by the integration tests. The
same roots work unchanged against real AWS; only the process environment
(endpoint, credentials, CA bundle, path-style switch) differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lmsops.errors import UserError
from lmsops.roots import Root

ENVIRONMENTS = ("dev", "prod")
COMPONENTS = ("backend", "frontend")


@dataclass
class Bootstrapped:
    """The result of applying bootstrap/: where its state is and what it printed."""

    repo: Path
    state_file: Path
    backend_config: Path
    outputs: dict


def bootstrap_root(repo: Path, work_dir: Path) -> Root:
    return Root(repo / "bootstrap", data_dir=work_dir / "tfdata" / "bootstrap")


def bootstrap(repo: Path, work_dir: Path) -> Bootstrapped:
    """Apply bootstrap/ with local state in WORK_DIR; write the backend config file."""
    work_dir.mkdir(parents=True, exist_ok=True)
    state_file = work_dir / "bootstrap.tfstate"
    root = bootstrap_root(repo, work_dir)
    root.init(backend_options={"path": str(state_file)})
    root.apply()
    backend_config = work_dir / "backend.s3.tfbackend"
    backend_config.write_text(root.output_raw("backend_config"))
    return Bootstrapped(repo, state_file, backend_config, root.outputs())


def live_root(repo: Path, env_name: str, component: str, work_dir: Path) -> Root:
    if env_name not in ENVIRONMENTS:
        raise UserError(
            f"unknown environment {env_name!r}; choose one of {', '.join(ENVIRONMENTS)}"
        )
    if component not in COMPONENTS:
        raise UserError(f"unknown component {component!r}; choose one of {', '.join(COMPONENTS)}")
    path = repo / "live" / env_name / component
    if not path.is_dir():
        raise UserError(f"{path} does not exist")
    return Root(path, data_dir=work_dir / "tfdata" / env_name / component)


def apply_live(root: Root, backend_config: Path) -> dict:
    """Init ROOT against the remote state described by BACKEND_CONFIG, apply, return outputs."""
    root.init(backend_config=backend_config)
    root.apply()
    return root.outputs()
