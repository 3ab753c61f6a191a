"""Before a command talks to AWS: is there something to talk to, and as whom?

Checked in well under two seconds, before any Terraform or AWS call, so that a
stopped emulator, a shell that never loaded its environment, or missing
credentials is reported at once with the one command that fixes it — rather
than after Terraform's and the SDK's retries.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from lmsops.emulator.server import Emulator, EmulatorInfo
from lmsops.errors import UserError
from lmsops.paths import REPO_ROOT, emulator_state_dir

LOOPBACK = ("127.0.0.1", "localhost", "::1")
CONNECT_TIMEOUT = 0.5
# The instance metadata service answers at once on EC2; elsewhere it must not stall us
# (botocore takes whole seconds).
METADATA_TIMEOUT = 1


def lmsops_executable() -> Path:
    """The lmsops being run, by absolute path (else the repository's .tox/up one)."""
    beside = Path(sys.executable).parent / "lmsops"
    if beside.is_file():
        return beside.absolute()
    return REPO_ROOT / ".tox" / "up" / "bin" / "lmsops"


def load_env_command() -> str:
    """`eval "$(/abs/lmsops emulator env)"`: works from any folder, e.g. the emulator checkout."""
    return f'eval "$({shlex.quote(str(lmsops_executable()))} emulator env)"'


def make_command(target: str) -> str:
    """`make -C /abs/repo TARGET`: works from any folder, not only the repository root."""
    return f"make -C {shlex.quote(str(REPO_ROOT))} {target}"


class NotReady(UserError):
    """The shell cannot reach AWS (or the emulator) yet."""


_guard = {"armed": False, "checked": False}


@contextlib.contextmanager
def guarding() -> Iterator[None]:
    """Within: the first AWS call (a boto3 client, a Terraform run) checks reachability first.

    Lazily, so a command's own cheap checks of its arguments still come first and
    a command that turns out to need no AWS call never pays for the check.
    """
    original = botocore.session.Session.create_client

    def create_client(self, *args, **kwargs):
        before_aws_call()
        return original(self, *args, **kwargs)

    _guard.update(armed=True, checked=False)
    botocore.session.Session.create_client = create_client
    try:
        yield
    finally:
        botocore.session.Session.create_client = original
        _guard.update(armed=False, checked=False)


def before_aws_call() -> None:
    """Run check_aws_reachable once per guarded command; nothing outside guarding()."""
    if not _guard["armed"] or _guard["checked"]:
        return
    _guard["checked"] = True
    check_aws_reachable()


def check_aws_reachable(emulator_state_dir: Path | None = None) -> None:
    """Raise NotReady saying what is wrong and the command that fixes it; else return."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
    running = running_emulator(emulator_state_dir)
    if endpoint and is_loopback(endpoint):
        check_emulator_endpoint(endpoint, running)
        return
    if has_credentials():
        return
    if running is not None:
        raise NotReady(
            f"this shell is not pointed at the emulator running on {running.endpoint} "
            "(AWS_ENDPOINT_URL is unset and there are no AWS credentials). Run:\n  "
            + load_env_command()
        )
    raise NotReady(
        "no AWS credentials found (environment, AWS_PROFILE or ~/.aws files). For real AWS, "
        "configure them (e.g. `aws configure sso` or export AWS_PROFILE=...); to work on the "
        f"local emulator instead, run:\n  {make_command('up')} && {load_env_command()}"
    )


def check_emulator_endpoint(endpoint: str, running: EmulatorInfo | None) -> None:
    parts = urlsplit(endpoint)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if listens(parts.hostname or "127.0.0.1", port):
        return
    if running is not None:
        raise NotReady(
            f"AWS_ENDPOINT_URL={endpoint} is stale: the emulator now runs on "
            f"{running.endpoint}. Load its environment again:\n  {load_env_command()}"
        )
    raise NotReady(
        f"the local emulator is not running (nothing answers on {endpoint}, where "
        "AWS_ENDPOINT_URL points). Start it and bring the environment up again with:\n"
        f"  {make_command('up')}\n(a stopped emulator keeps nothing: it applies everything again)"
    )


def is_loopback(endpoint: str) -> bool:
    return (urlsplit(endpoint).hostname or "") in LOOPBACK


def listens(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=CONNECT_TIMEOUT):
            return True
    except OSError:
        return False


def running_emulator(state_dir: Path | None) -> EmulatorInfo | None:
    """The emulator `make up` runs, if it answers (a fast check: its state file and socket)."""
    emulator = Emulator(state_dir or emulator_state_dir())
    info = emulator.recorded()
    if info is None or not listens("127.0.0.1", info.port):
        return None
    return info


def has_credentials() -> bool:
    """True when botocore's credential chain finds credentials (quickly off EC2)."""
    session = botocore.session.Session()
    session.set_config_variable("metadata_service_timeout", METADATA_TIMEOUT)
    session.set_config_variable("metadata_service_num_attempts", 1)
    try:
        return session.get_credentials() is not None
    except Exception as exc:  # a broken profile or SSO cache is as good as none, said why
        raise NotReady(f"cannot load AWS credentials: {exc}") from exc


def check_state_bucket(root_path: Path, data_dir: Path | None = None) -> None:
    """On the local emulator: refuse at once a root whose state bucket the emulator no longer has.

    A restarted emulator starts empty, yet the checkout's roots still name the old
    one's state bucket; Terraform would say so in a long NoSuchBucket paragraph,
    after seconds of retries.
    """
    endpoint = os.environ.get("AWS_ENDPOINT_URL", "")
    if not endpoint or not is_loopback(endpoint):
        return
    bucket = initialised_state_bucket(root_path, data_dir)
    if bucket is None or bucket_exists(bucket):
        return
    raise NotReady(
        f"{root_path} keeps its state in bucket {bucket!r}, which the emulator on {endpoint} "
        "does not have: the emulator was restarted and is empty (stopping it discards "
        f"everything). Bring the environment back with:\n  {make_command('up')}"
    )


def initialised_state_bucket(root_path: Path, data_dir: Path | None = None) -> str | None:
    """The S3 state bucket ROOT_PATH was initialised with (its .terraform/terraform.tfstate)."""
    backend_state = Path(data_dir or root_path / ".terraform") / "terraform.tfstate"
    try:
        config = json.loads(backend_state.read_text())["backend"]["config"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    bucket = config.get("bucket") if isinstance(config, dict) else None
    return bucket if isinstance(bucket, str) and bucket else None


def bucket_exists(bucket: str) -> bool:
    """False only when S3 says the bucket does not exist (any other answer: let Terraform say)."""
    s3 = boto3.client(
        "s3", config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1})
    )
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError as exc:
        return exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket")
    except BotoCoreError:
        return True
    return True
