"""Bring an environment up: bootstrap remote state, then init and apply live roots.

Used by `lmsops up` against the emulator and by the integration tests. The
same roots work unchanged against real AWS; only the process environment
(endpoint, credentials, CA bundle, path-style switch) differs.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import boto3

from lmsops import preflight_env, toolchain
from lmsops.errors import UserError
from lmsops.paths import emulator_state_dir
from lmsops.preflight_env import NotReady
from lmsops.roots import REPO_ROOT, Root
from lmsops.terraform_progress import Reporter

ENVIRONMENTS = ("dev", "prod")
COMPONENTS = ("backend", "frontend")


def emulator_dir() -> Path:
    """Where `lmsops up` keeps the emulator's state."""
    return emulator_state_dir()


CHECKOUT_ENV = "LMSOPS_EMULATOR_CHECKOUT"
BACKEND_CONFIG_NAME = "backend.s3.tfbackend"


def emulator_checkout() -> Path:
    """The emulator's own copy of the Terraform trees, where `lmsops up` applies them.

    Its `.terraform/` folders, bootstrap state and backend config belong to the
    emulator; the repository's (a user's real-AWS work) are never read or written.
    """
    return emulator_dir() / "checkout"


def default_checkout() -> Path:
    """Where live roots are read from: the emulator's checkout once its env is loaded."""
    configured = os.environ.get(CHECKOUT_ENV)
    return Path(configured) if configured else REPO_ROOT


def forget_emulator_state(checkout: Path) -> None:
    """A new emulator starts empty: drop the checkout's records of the old one's resources.

    Bootstrap's local state and the backend config describe resources that no
    longer exist; the live roots' state lived in the emulator and went with it.
    """
    for name in ("terraform.tfstate", "terraform.tfstate.backup"):
        (checkout / "bootstrap" / name).unlink(missing_ok=True)
    (checkout / BACKEND_CONFIG_NAME).unlink(missing_ok=True)


@dataclass
class Bootstrapped:
    """The result of applying bootstrap/: where its state is and what it printed."""

    repo: Path
    state_file: Path
    backend_config: Path
    outputs: dict


def bootstrap_root(repo: Path, work_dir: Path) -> Root:
    return Root(repo / "bootstrap", data_dir=work_dir / "tfdata" / "bootstrap")


def bootstrap(repo: Path, work_dir: Path, reporter: Reporter | None = None) -> Bootstrapped:
    """Apply bootstrap/ with local state in WORK_DIR; write the backend config file.

    With a REPORTER (terraform_progress.Reporter), Terraform's progress is shown.
    """
    work_dir.mkdir(parents=True, exist_ok=True)
    state_file = work_dir / "bootstrap.tfstate"
    root = bootstrap_root(repo, work_dir)
    root.init(backend_options={"path": str(state_file)}, reporter=reporter, label="bootstrap")
    root.apply(reporter=reporter, label="bootstrap")
    backend_config = work_dir / "backend.s3.tfbackend"
    backend_config.write_text(root.output_raw("backend_config"))
    return Bootstrapped(repo, state_file, backend_config, root.outputs())


def bootstrap_checkout(checkout: Path, reporter: Reporter | None = None) -> Bootstrapped:
    """Apply CHECKOUT/bootstrap exactly as the README's real-AWS steps do.

    `terraform init && terraform apply` in bootstrap/ (state in its default
    place, bootstrap/terraform.tfstate of CHECKOUT), then the backend config
    written to CHECKOUT/backend.s3.tfbackend, the path the README names. A user
    repeating those steps in the checkout finds the same state: nothing to do.
    """
    root = Root(checkout / "bootstrap")
    root.init(reconfigure=False, reporter=reporter, label="bootstrap")
    root.apply(reporter=reporter, label="bootstrap")
    backend_config = checkout / BACKEND_CONFIG_NAME
    backend_config.write_text(root.output_raw("backend_config"))
    return Bootstrapped(
        checkout, checkout / "bootstrap" / "terraform.tfstate", backend_config, root.outputs()
    )


def live_root_path(repo: Path, env_name: str, component: str) -> Path:
    if env_name not in ENVIRONMENTS:
        choices = ", ".join(ENVIRONMENTS)
        raise UserError(f"unknown environment {env_name!r}; choose one of {choices}")
    if component not in COMPONENTS:
        choices = ", ".join(COMPONENTS)
        raise UserError(f"unknown component {component!r}; choose one of {choices}")
    path = Path(repo) / "live" / env_name / component
    if not path.is_dir():
        raise UserError(f"{path} does not exist")
    return path


def live_root(repo: Path, env_name: str, component: str, work_dir: Path) -> Root:
    path = live_root_path(repo, env_name, component)
    return Root(path, data_dir=work_dir / "tfdata" / env_name / component)


def live_outputs(
    env_name: str,
    component: str,
    repo: Path | None = None,
    data_dir: Path | None = None,
    hint: str = "",
) -> dict:
    """The outputs of live/<env>/<component>, or a UserError saying how to get them.

    REPO defaults to default_checkout(): the emulator's checkout in a shell where
    `eval "$(lmsops emulator env)"` ran, else this repository (real AWS). DATA_DIR
    is the TF_DATA_DIR the root was initialised with, if not its own `.terraform/`.
    HINT names the command's own way around a missing root (e.g. "pass --bucket").
    """
    if repo is None or Path(repo).resolve() == REPO_ROOT.resolve():
        repo = default_checkout()
    path = live_root_path(repo, env_name, component)
    advice = "initialise it with the backend config and apply it" + (f", or {hint}" if hint else "")
    try:
        preflight_env.check_state_bucket(path, data_dir)
        outputs = Root(path, data_dir=data_dir).outputs()
    except NotReady:
        raise  # the shell cannot reach AWS: that, not the root, is what to fix
    except UserError as exc:  # TerraformError included: not initialised, no state, ...
        output = getattr(exc, "output", "")
        if BACKEND_INIT_REQUIRED in output:
            raise UserError(not_initialised(Path(repo), path, output, hint)) from exc
        reason = terraform_error_summary(output) or str(exc)
        raise UserError(f"cannot read the outputs of {path} ({reason}): {advice}") from exc
    if not outputs:
        raise UserError(f"{path} has no outputs: {advice}")
    return outputs


def read_outputs_file(path: Path) -> dict:
    """Outputs from a file: `terraform output -json` ({name: {value: ...}}) or {name: value}."""
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise UserError(f"{path} does not exist") from exc
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is not JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise UserError(f"{path} must hold a JSON object of outputs")
    return {
        name: item["value"] if isinstance(item, dict) and "value" in item else item
        for name, item in raw.items()
    }


BACKEND_INIT_REQUIRED = "Backend initialization required"


def not_initialised(repo: Path, path: Path, terraform_output: str, hint: str = "") -> str:
    """Why PATH's outputs cannot be read, the ways forward, then Terraform's own words."""
    where = path.relative_to(repo) if path.is_relative_to(repo) else path
    env_name = path.parent.name
    if os.environ.get(CHECKOUT_ENV):
        emulator = (
            f'on the emulator, apply it: {preflight_env.make_command("up")} ARGS="--env {env_name}"'
        )
    else:
        emulator = (
            f"on the emulator, point this shell at it first: {preflight_env.load_env_command()}"
        )
    lines = [
        f"{where} has not been initialised here ({path}), so its outputs cannot be read. Either:",
        f"  on AWS: terraform -chdir={path} init -backend-config=../../../{BACKEND_CONFIG_NAME}",
        f"  {emulator}",
    ]
    if hint:
        lines.append(f"  or {hint}")
    lines += ["", "Terraform said:", terraform_error_text(terraform_output)]
    return "\n".join(lines)


def terraform_error_text(output: str) -> str:
    """Terraform's error from its first `Error:` on, line by line, without colours or frames."""
    plain = re.sub(r"\x1b\[[0-9;]*m|[│╵╷]", "", output)
    lines = [line.strip() for line in plain.splitlines()]
    start = next((i for i, line in enumerate(lines) if "Error:" in line), 0)
    return "\n".join(f"  {line}" if line else "" for line in lines[start:]).rstrip()


ZONE_NAME = re.compile(r'^\s*zone_name\s*=\s*"([^"]+)"', re.MULTILINE)


def live_zone_names(repo: Path = REPO_ROOT) -> list[str]:
    """Every `zone_name` the live roots' terraform.tfvars set, once each."""
    names = set()
    for tfvars in (repo / "live").glob("*/*/terraform.tfvars"):
        names.update(ZONE_NAME.findall(tfvars.read_text()))
    return sorted(names)


def create_hosted_zones(names: list[str]) -> list[str]:
    """Create the hosted zones live roots look up, without applying bootstrap/.

    For plan-only work on the emulator: bootstrap's state bucket lifecycle waiter
    alone takes about a minute, and a plan needs only the zones to exist.
    """
    route53 = boto3.client("route53")
    for name in names:
        route53.create_hosted_zone(Name=name, CallerReference=f"lmsops-{name}")
    return names


def terraform_error_summary(output: str) -> str:
    """Terraform's error from its first `Error:` on, whole, without colours or frames.

    Never cut: a shortened message loses the advice at its end, mid-word.
    """
    plain = " ".join(re.sub(r"\x1b\[[0-9;]*m|[│╵╷]", " ", output).split())
    start = plain.find("Error:")
    return plain[start:] if start >= 0 else toolchain.whole_error(plain)


def apply_live(
    root: Root, backend_config: Path, reporter: Reporter | None = None, label: str = ""
) -> dict:
    """Init ROOT against the remote state described by BACKEND_CONFIG, apply, return outputs.

    With a REPORTER (terraform_progress.Reporter), Terraform's progress is shown.
    """
    root.init(backend_config=backend_config, reporter=reporter, label=label)
    root.apply(reporter=reporter, label=label)
    return root.outputs()


class LiveApplyFailed(UserError):
    """Live roots applied side by side and some failed; every root ran to its end.

    FAILURES: the error of each root that failed, by name; OUTPUTS: the outputs
    of those that were applied.
    """

    def __init__(self, failures: dict[str, UserError], outputs: dict[str, dict]):
        super().__init__(failures, outputs)
        self.failures = failures
        self.outputs = outputs

    def __str__(self) -> str:
        failed = ", ".join(self.failures)
        applied = f"; {', '.join(self.outputs)} applied" if self.outputs else ""
        lines = [f"{failed} failed{applied}."]
        for name, error in self.failures.items():
            lines += ["", f"{name}: {error}"]
        return "\n".join(lines)


def apply_live_roots(
    live: Mapping[str, Root], backend_config: Path, reporter: Reporter | None = None
) -> dict[str, dict]:
    """Init and apply independent live roots at the same time; their outputs by name.

    LIVE maps a name (e.g. "live/dev/backend") to its root. The roots must not
    depend on each other (each has its own state key; none reads another's
    outputs): the provider's waiters of one (ALB, S3 lifecycle, Route53) then
    overlap the other's. With a REPORTER each root's progress lines start with
    its name, and its log lines are tagged with it. When a root fails, the
    others still run to their end; then LiveApplyFailed names each root that
    failed with Terraform's whole error.
    """
    if not live:
        return {}
    shown = reporter.alongside() if reporter is not None and len(live) > 1 else reporter

    def one(name: str) -> dict:
        return apply_live(live[name], backend_config, shown, name)

    with ThreadPoolExecutor(max_workers=len(live), thread_name_prefix="apply") as pool:
        futures = {name: pool.submit(one, name) for name in live}
    outputs: dict[str, dict] = {}
    failures: dict[str, UserError] = {}
    for name, future in futures.items():
        error = future.exception()
        if error is None:
            outputs[name] = future.result()
        elif isinstance(error, UserError):
            failures[name] = error
        else:
            raise error  # a bug, not a failed apply: its traceback, once every root ended
    if failures:
        raise LiveApplyFailed(failures, outputs)
    return outputs
