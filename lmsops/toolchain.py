"""Terraform toolchain: find the binary, write the project's CLI config, run commands.

The project never relies on a user's ~/.terraformrc. It writes its own CLI
config that installs `hashicorp/*` providers from an on-disk filesystem mirror
when one exists (so everything works offline) and from the registry otherwise,
and points every root at one shared plugin cache so the provider is unpacked
once, not once per root.
"""

from __future__ import annotations

import fcntl
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from lmsops import preflight_env
from lmsops.errors import UserError
from lmsops.paths import CACHE_ENV, REPO_ROOT, cache_dir

__all__ = ["CACHE_ENV", "REPO_ROOT", "cache_dir"]  # where they were first defined, still read here

MIRROR_ENV = "LMSOPS_PROVIDER_MIRROR"
PROVIDER_SOURCE = "registry.terraform.io/hashicorp/aws"
MIRROR_CANDIDATES = (
    "/opt/tf-plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "/usr/share/terraform/plugins",
)


def terraform_bin() -> str:
    found = shutil.which("terraform")
    if not found:
        raise UserError(
            "terraform was not found on PATH. Install Terraform >= 1.5.7 "
            "(https://developer.hashicorp.com/terraform/install) and try again."
        )
    return found


def find_provider_mirror() -> Path | None:
    """The filesystem mirror holding hashicorp/aws, or None to use the registry."""
    configured = os.environ.get(MIRROR_ENV)
    if configured:
        path = Path(configured).expanduser()
        if not (path / PROVIDER_SOURCE).is_dir():
            raise UserError(
                f"{MIRROR_ENV}={configured} does not contain {PROVIDER_SOURCE}; "
                "point it at a Terraform filesystem mirror or unset it."
            )
        return path
    for candidate in MIRROR_CANDIDATES:
        path = Path(candidate).expanduser()
        if (path / PROVIDER_SOURCE).is_dir():
            return path
    return None


def uses_plugin_cache(mirror: Path | None) -> bool:
    """Whether Terraform gets a shared plugin cache: for the registry or a packed mirror.

    Terraform links an unpacked mirror's provider into each root, so a cache saves
    nothing there, and Terraform re-links the cache entry on every init: parallel
    inits then catch it missing ("fork/exec .terraform/providers/...: no such file").
    """
    return mirror is None or any((mirror / PROVIDER_SOURCE).rglob("*.zip"))


def render_cli_config(mirror: Path | None, plugin_cache: Path | None) -> str:
    if mirror is None:
        installation = "  direct {}\n"
    else:
        installation = (
            "  filesystem_mirror {\n"
            f'    path    = "{mirror}"\n'
            '    include = ["registry.terraform.io/hashicorp/*"]\n'
            "  }\n"
            "  direct {\n"
            '    exclude = ["registry.terraform.io/hashicorp/*"]\n'
            "  }\n"
        )
    cache = ""
    if plugin_cache is not None:
        cache = (
            f'plugin_cache_dir = "{plugin_cache}"\n'
            "plugin_cache_may_break_dependency_lock_file = false\n\n"
        )
    return f"{cache}provider_installation {{\n{installation}}}\n"


def write_cli_config() -> Path:
    mirror = find_provider_mirror()
    plugin_cache = None
    if uses_plugin_cache(mirror):
        plugin_cache = cache_dir() / "plugin-cache"
        plugin_cache.mkdir(parents=True, exist_ok=True)
    config = cache_dir() / "terraformrc"
    text = render_cli_config(mirror, plugin_cache)
    if not config.exists() or config.read_text() != text:
        config.write_text(text)
    return config


WARM_ROOT = """terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
"""


def terraform_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every Terraform process of the project runs with."""
    env = dict(os.environ)
    env.update(
        TF_CLI_CONFIG_FILE=str(write_cli_config()),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
    )
    env.pop("TF_PLUGIN_CACHE_DIR", None)
    warm_plugin_cache(env)
    if extra:
        env.update(extra)
    return env


def warm_plugin_cache(env: dict[str, str]) -> None:
    """Fill the shared plugin cache once, under a lock (an unpacked mirror needs none).

    Terraform's plugin cache is not safe for concurrent writers: two inits that
    both find it empty race on the same directory ("file exists"). Once the
    provider is cached, parallel inits only read from it.
    """
    mirror = find_provider_mirror()
    if not uses_plugin_cache(mirror):
        check_unpacked_mirror(mirror)
        return
    cache = cache_dir() / "plugin-cache"
    if (cache / PROVIDER_SOURCE).is_dir():
        return
    with (cache_dir() / "plugin-cache.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (cache / PROVIDER_SOURCE).is_dir():
            return
        with tempfile.TemporaryDirectory(prefix="lmsops-warm-") as tmp:
            Path(tmp, "versions.tf").write_text(WARM_ROOT)
            proc = subprocess.run(
                [terraform_bin(), "init", "-backend=false", "-input=false", "-no-color"],
                cwd=tmp,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
        if proc.returncode != 0:
            raise UserError(
                "could not install the hashicorp/aws provider "
                f"(mirror: {find_provider_mirror() or 'none, using the registry'}):\n"
                + "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            )


def check_unpacked_mirror(mirror: Path | None) -> None:
    """An unpacked mirror must hold a provider binary, or every init fails obscurely."""
    if mirror is not None and not any((mirror / PROVIDER_SOURCE).rglob("terraform-provider-aws*")):
        raise UserError(
            f"could not install the hashicorp/aws provider (mirror: {mirror}): it holds no "
            f"terraform-provider-aws binary under {PROVIDER_SOURCE}; point "
            f"{MIRROR_ENV} at a Terraform filesystem mirror or unset it."
        )


class TerraformError(UserError):
    """A Terraform command failed; carries its output for the caller to show."""

    def __init__(self, command: tuple[str, ...], returncode: int, output: str):
        super().__init__(command, returncode, output)
        self.command = command
        self.returncode = returncode
        self.output = output

    def __str__(self) -> str:
        return f"terraform {' '.join(self.command)} failed (exit {self.returncode}):\n" + (
            whole_error(self.output)
        )


def whole_error(output: str, fallback_lines: int = 30) -> str:
    """Terraform's error blocks in full (from the first `Error:`), else the output's tail.

    Never shortened mid-line: a user must see the whole message and its advice.
    """
    lines = output.strip().splitlines()
    for index, line in enumerate(lines):
        if "Error:" in line:
            return "\n".join(lines[index:])
    return "\n".join(lines[-fallback_lines:])


def run(
    args: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    check: bool = True,
    input_text: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `terraform ARGS` in CWD; raise TerraformError on failure when CHECK."""
    preflight_env.before_aws_call()
    proc = subprocess.run(
        [terraform_bin(), *args],
        cwd=cwd,
        env=env or terraform_env(),
        input=input_text,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and proc.returncode != 0:
        raise TerraformError(tuple(args), proc.returncode, proc.stdout + proc.stderr)
    return proc


def run_streaming(
    args: list[str],
    cwd: Path,
    env: dict[str, str],
    on_line: Callable[[str], None],
    *,
    on_tick: Callable[[], None] = lambda: None,
    tick_seconds: float = 1.0,
) -> subprocess.CompletedProcess[str]:
    """Run `terraform ARGS`, handing each output line to ON_LINE as it comes.

    ON_TICK runs about every TICK_SECONDS while Terraform is quiet, so a caller
    can show how long the slowest resource has been waiting. Returns the
    completed process with stdout holding everything Terraform printed.
    """
    preflight_env.before_aws_call()
    process = subprocess.Popen(
        [terraform_bin(), *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    collected: list[str] = []
    try:
        while True:
            try:
                line = lines.get(timeout=tick_seconds)
            except queue.Empty:
                on_tick()
                continue
            if line is None:
                break
            collected.append(line)
            on_line(line)
    except BaseException:
        process.terminate()
        raise
    finally:
        reader.join(timeout=5)
    returncode = process.wait()
    return subprocess.CompletedProcess([terraform_bin(), *args], returncode, "".join(collected), "")
