"""Start, find and stop the local AWS emulator (moto over HTTPS on 127.0.0.1).

One emulator per state directory. The state directory holds its certificate, its
log and a JSON state file {pid, port, endpoint, ca_bundle}; `start()` reuses a
healthy emulator recorded there, so the CLI and the test fixture can share one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from lmsops.emulator.certs import ensure_certificate
from lmsops.emulator.moto_version import check_moto_version
from lmsops.errors import UserError

HOST = "127.0.0.1"
STATE_FILE = "emulator.json"
LOG_FILE = "emulator.log"
LOCK_FILE = "emulator.lock"
SERVE_MODULE = "lmsops.emulator.serve"
HEALTH_PATH = "/moto-api/"
REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0

REGION = "us-east-1"
# Fixed, obviously fake credentials: moto accepts any signature.
ACCESS_KEY_ID = "testing"
SECRET_ACCESS_KEY = "testing"
DEFAULT_PROFILE = "default"
AWS_CONFIG_NAME = "aws-config"
# Anything else in the caller's environment that could send a client elsewhere or make it
# pick other credentials/settings; emptied (an empty value counts as unset for the
# Python and Go AWS SDKs) so the emulator env always wins.
NEUTRALISED = (
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
)
SERVICE_ENDPOINT_PREFIX = "AWS_ENDPOINT_URL_"
PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class EmulatorInfo:
    """A running emulator: its process, where it listens, the CA bundle to trust."""

    pid: int
    port: int
    endpoint: str
    ca_bundle: str

    @property
    def aws_config(self) -> Path:
        """The emulator's AWS config/credentials file, next to its certificate."""
        return Path(self.ca_bundle).parent / AWS_CONFIG_NAME

    def env(self) -> dict[str, str]:
        """The environment that points AWS SDKs, the AWS CLI and Terraform at the emulator.

        Variables that could redirect clients (a profile, a session token, a
        per-service endpoint, ...) are set to "" when present in os.environ.
        """
        env = {name: "" for name in os.environ if name.startswith(SERVICE_ENDPOINT_PREFIX)}
        env.update({name: "" for name in NEUTRALISED if name in os.environ})
        env.update(
            AWS_ENDPOINT_URL=self.endpoint,
            AWS_CA_BUNDLE=self.ca_bundle,
            AWS_ACCESS_KEY_ID=ACCESS_KEY_ID,
            AWS_SECRET_ACCESS_KEY=SECRET_ACCESS_KEY,
            AWS_REGION=REGION,
            AWS_DEFAULT_REGION=REGION,
            # Few retries: an emulator gap must fail in seconds, not after 25 attempts.
            AWS_MAX_ATTEMPTS="3",
            AWS_RETRY_MODE="standard",
            # No instance-metadata lookups (they time out slowly off EC2).
            AWS_EC2_METADATA_DISABLED="true",
            # A user's ~/.aws files may set a profile, addressing style, endpoints or roles:
            # use the emulator's own, whose only profile is an empty `default`.
            AWS_CONFIG_FILE=str(self.aws_config),
            AWS_SHARED_CREDENTIALS_FILE=str(self.aws_config),
            AWS_PROFILE=DEFAULT_PROFILE,
            AWS_DEFAULT_PROFILE=DEFAULT_PROFILE,
            TF_VAR_s3_use_path_style="true",
        )
        env.update(_no_proxy_for_loopback())
        return env


def _no_proxy_for_loopback() -> dict[str, str]:
    """When a proxy is configured, keep the emulator's loopback traffic off it."""
    if not any(os.environ.get(name) for name in PROXY_VARIABLES):
        return {}
    current = os.environ.get("NO_PROXY") or os.environ.get("no_proxy") or ""
    hosts = [host for host in current.split(",") if host]
    hosts += [host for host in LOOPBACK_HOSTS if host not in hosts]
    value = ",".join(hosts)
    return {"NO_PROXY": value, "no_proxy": value}


class Emulator:
    """The emulator recorded in STATE_DIR (at most one per directory)."""

    def __init__(self, state_dir: Path, host: str = HOST):
        self.state_dir = Path(state_dir)
        self.host = host
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def state_file(self) -> Path:
        return self.state_dir / STATE_FILE

    @property
    def log_file(self) -> Path:
        return self.state_dir / LOG_FILE

    def start(self, port: int | None = None, timeout: float = START_TIMEOUT) -> EmulatorInfo:
        """Start an emulator (or return the healthy one already recorded here)."""
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with self._locked():
            write_aws_config(self.state_dir / AWS_CONFIG_NAME)
            running = self.status()
            if running is not None:
                if port is not None and port != running.port:
                    raise UserError(
                        f"an emulator from {self.state_dir} already runs on port "
                        f"{running.port}; stop it first to use port {port}"
                    )
                return running
            check_moto_version()  # the gap fills patch one moto version
            self._clear_stale()
            certs = ensure_certificate(self.state_dir)
            port = self._choose_port(port)
            process = self._spawn(port, certs.cert, certs.key)
            info = EmulatorInfo(
                pid=process.pid,
                port=port,
                endpoint=f"https://{self.host}:{port}",
                ca_bundle=str(certs.cert),
            )
            self._wait_until_healthy(process, info, timeout)
            self._write_state(info)
            return info

    def status(self) -> EmulatorInfo | None:
        """The recorded emulator if its process lives and it answers over HTTPS."""
        info = self._read_state()
        if info is None or not _is_serve_process(info.pid):
            return None
        return info if _answers(info) else None

    def recorded(self) -> EmulatorInfo | None:
        """The emulator recorded in the state file, without checking that it answers."""
        return self._read_state()

    def stop(self, timeout: float = STOP_TIMEOUT) -> bool:
        """Stop the recorded emulator; True if one was running. Fine if none is."""
        info = self._read_state()
        stopped = False
        if info is not None and _is_serve_process(info.pid):
            self._terminate(info.pid, timeout)
            stopped = True
        self.state_file.unlink(missing_ok=True)
        return stopped

    # -- internals -------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.state_dir / LOCK_FILE, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _clear_stale(self) -> None:
        """A recorded emulator that does not answer: stop what is left of it."""
        if self.state_file.exists():
            self.stop()

    def _choose_port(self, port: int | None) -> int:
        if port is None:
            return _free_port(self.host)
        if not _port_is_free(self.host, port):
            raise UserError(
                f"port {port} on {self.host} is in use by another program; choose "
                "another with --port or LMSOPS_EMULATOR_PORT"
            )
        return port

    def _spawn(self, port: int, cert: Path, key: Path) -> subprocess.Popen[bytes]:
        # moto itself runs botocore: a caller's AWS_PROFILE or endpoint must not reach it.
        env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
        env["PYTHONPATH"] = os.pathsep.join(
            part for part in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if part
        )
        command = [
            sys.executable,
            "-m",
            SERVE_MODULE,
            "--host",
            self.host,
            "--port",
            str(port),
            "--cert",
            str(cert),
            "--key",
            str(key),
        ]
        with open(self.log_file, "wb") as log:  # one log per emulator run
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.state_dir,
                env=env,
                start_new_session=True,
            )
        return self._process

    def _wait_until_healthy(
        self, process: subprocess.Popen[bytes], info: EmulatorInfo, timeout: float
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise UserError(
                    f"the emulator exited during start (code {process.returncode}); "
                    f"its log {self.log_file} ends with:\n{self._log_tail()}"
                )
            if _answers(info):
                return
            time.sleep(0.2)
        self._terminate(process.pid, STOP_TIMEOUT)
        raise UserError(
            f"the emulator did not answer on {info.endpoint} within {timeout:.0f} s; "
            f"see {self.log_file}:\n{self._log_tail()}"
        )

    def _terminate(self, pid: int, timeout: float) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not self._wait_exit(pid, timeout):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            self._wait_exit(pid, timeout)

    def _wait_exit(self, pid: int, timeout: float) -> bool:
        if self._process is not None and self._process.pid == pid:
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                return False
            self._process = None
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _is_alive(pid):
                return True
            time.sleep(0.1)
        return False

    def _write_state(self, info: EmulatorInfo) -> None:
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(info), indent=2) + "\n")
        tmp.replace(self.state_file)

    def _read_state(self) -> EmulatorInfo | None:
        try:
            data = json.loads(self.state_file.read_text())
            return EmulatorInfo(
                pid=int(data["pid"]),
                port=int(data["port"]),
                endpoint=str(data["endpoint"]),
                ca_bundle=str(data["ca_bundle"]),
            )
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError):
            return None  # a damaged state file means nothing usable is recorded

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"


def write_aws_config(path: Path) -> None:
    """The emulator's AWS config: one `default` profile (botocore ignores empty sections)."""
    text = f"[{DEFAULT_PROFILE}]\nregion = {REGION}\n"
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _port_is_free(host: str, port: int) -> bool:
    """Nothing listens on PORT. A just-stopped emulator's connections in TIME_WAIT do
    not count: the server binds with SO_REUSEADDR too, so a restart gets the same port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise
    return True


def _answers(info: EmulatorInfo, timeout: float = 2.0) -> bool:
    """True when the endpoint answers HTTPS with a certificate the CA bundle trusts."""
    try:
        context = ssl.create_default_context(cafile=info.ca_bundle)
        opener = urllib.request.build_opener(
            urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context)
        )
        with opener.open(info.endpoint + HEALTH_PATH, timeout=timeout) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError, ssl.SSLError):
        return False


def _is_alive(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        return _signal_zero(pid)
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _signal_zero(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_serve_process(pid: int) -> bool:
    """PID is alive and runs the emulator (not a later process that reused the id)."""
    if not _is_alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True  # no /proc: trust the state file
    return SERVE_MODULE.encode() in cmdline
