"""Progress of a Terraform run, built from its machine-readable output (`-json`).

`Tracker` folds Terraform's JSON UI messages into counts (planned, started, done)
and the resources in flight; a `View` shows it: a tqdm bar on a terminal, plain
lines elsewhere (CI, pipes), or Terraform's own messages with `verbose`.
Every line Terraform prints is also written to the run's log file.

Runs side by side (roots applied in parallel, `Reporter.alongside`) print
plain lines, each carrying its run's label, and tag their log lines with it:
two bars redrawn from two threads would overwrite each other.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from lmsops import toolchain

VERBS = {
    "create": "creating",
    "update": "modifying",
    "delete": "destroying",
    "replace": "replacing",
    "read": "reading",
    "noop": "checking",
}
HEARTBEAT_SECONDS = 15.0
# One line at a time on the terminal and in the log, whichever thread writes it.
_OUTPUT_LOCK = threading.Lock()


def write_line(text: str, stream: TextIO) -> None:
    """TEXT and its newline in one write, never split by another thread's line."""
    with _OUTPUT_LOCK:
        stream.write(text + "\n")
        stream.flush()


@dataclass
class Tracker:
    """What a Terraform run has planned, started and finished, from its JSON messages."""

    clock: Callable[[], float] = time.monotonic
    planned: int = 0
    started: int = 0
    done: int = 0
    in_flight: dict[str, tuple[str, float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def feed(self, message: dict) -> str | None:
        """Account for one message; return a line worth showing in plain mode, if any."""
        kind = message.get("type")
        if kind == "planned_change":
            # A data source's planned `read` is never counted done (see apply_complete).
            if message["change"].get("action") not in ("noop", "read"):
                self.planned += 1
            return None
        if kind == "apply_start":
            hook = message["hook"]
            address = hook["resource"]["addr"]
            if hook.get("action") != "read":  # data sources read while planning
                self.started += 1
            self.in_flight[address] = (VERBS.get(hook.get("action", ""), "changing"), self.clock())
            return None
        if kind in ("apply_complete", "apply_errored"):
            hook = message["hook"]
            self.in_flight.pop(hook["resource"]["addr"], None)
            if hook.get("action") == "read":
                return None
            self.done += 1
            return message.get("@message")
        if kind == "change_summary":
            return message.get("@message")
        if kind == "diagnostic" and message.get("diagnostic", {}).get("severity") == "error":
            self.errors.append(diagnostic_text(message["diagnostic"]))
        return None

    def slowest(self, room: int | None = None) -> str:
        """The resource in flight the longest, e.g. `module.alb.aws_lb.this creating 45 s`.

        Within ROOM characters when given, the address shortened from its start
        (`…aws_lb.this creating 45 s`), so a narrow terminal never cuts a word.
        """
        if not self.in_flight:
            return ""
        address, (verb, since) = min(self.in_flight.items(), key=lambda item: item[1][1])
        doing = f" {verb} {self.clock() - since:.0f} s"
        if room is not None:
            address = shorten_address(address, room - len(doing))
        return f"{address}{doing}"


ELLIPSIS = "…"


def shorten_address(address: str, room: int) -> str:
    """ADDRESS in ROOM characters, cut between its dotted parts: `…data.aws_partition.current`."""
    if len(address) <= room:
        return address
    parts = address.split(".")
    for start in range(1, len(parts)):
        tail = ELLIPSIS + ".".join(parts[start:])
        if len(tail) <= room:
            return tail
    return ELLIPSIS + parts[-1][len(parts[-1]) - max(room - 1, 0) :] if room > 1 else ELLIPSIS


def diagnostic_text(diagnostic: dict) -> str:
    """Terraform's whole error: summary, where it happened, and its detail, never shortened."""
    lines = [f"Error: {diagnostic.get('summary', '').strip()}"]
    where = diagnostic.get("address") or ""
    source = diagnostic.get("range") or {}
    if source.get("filename"):
        where = f"{where} ({source['filename']} line {source.get('start', {}).get('line', '?')})"
    if where.strip():
        lines.append(f"  at {where.strip()}")
    detail = (diagnostic.get("detail") or "").strip()
    if detail:
        lines.append("")
        lines.extend(f"  {line}" if line else "" for line in detail.splitlines())
    return "\n".join(lines)


def is_terminal(stream: TextIO) -> bool:
    """A terminal a bar can be drawn on (not CI, not a pipe, not a zero-width pty)."""
    if os.environ.get("CI") or not (hasattr(stream, "isatty") and stream.isatty()):
        return False
    try:
        return os.get_terminal_size(stream.fileno()).columns > 0
    except (OSError, ValueError):
        return False


BAR_MIN = 6


def terminal_columns(stream: TextIO) -> int | None:
    """The width of the terminal STREAM writes to, if it is one."""
    try:
        return os.get_terminal_size(stream.fileno()).columns or None
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None


class View:
    """Shows a Tracker: a bar on a terminal, plain lines elsewhere, or Terraform's messages."""

    def __init__(
        self,
        label: str,
        tracker: Tracker,
        verbose: bool = False,
        stream: TextIO | None = None,
        bar: bool | None = None,
        *,
        columns: int | None = None,
        labelled: bool = False,
    ):
        self.label = label
        self.labelled = labelled  # Terraform's own messages (verbose) carry the label too
        self.tracker = tracker
        self.verbose = verbose
        self.stream = stream or sys.stdout
        self._bar = None
        self._last_heartbeat = tracker.clock()
        use_bar = is_terminal(self.stream) if bar is None else bar
        self.columns = columns or terminal_columns(self.stream)
        if use_bar and not verbose:
            self._bar = tqdm(
                total=0,
                desc=label,
                unit="resource",
                file=self.stream,
                ncols=self.columns,
                bar_format="{desc}: {n}/{total} {bar} {elapsed}{postfix}",
                leave=True,
            )

    def message(self, message: dict) -> None:
        line = self.tracker.feed(message)
        if self.verbose:
            text = message.get("@message")
            if text and message.get("type") != "version":
                self._write(f"{self.label}: {text}" if self.labelled else text)
            return
        if self._bar is not None:
            self._bar.total = max(self.tracker.planned, self.tracker.done)
            self._bar.n = self.tracker.done
            self._bar.set_postfix_str(self.tracker.slowest(self.postfix_room()), refresh=True)
            return
        if line:
            self._write(f"{self.label}: [{self.tracker.done}/{self.tracker.planned}] {line}")
        self.tick()

    def tick(self) -> None:
        """In plain mode, say every HEARTBEAT_SECONDS what is still in flight."""
        now = self.tracker.clock()
        if self._bar is not None:
            self._bar.set_postfix_str(self.tracker.slowest(self.postfix_room()), refresh=True)
            return
        if self.verbose or now - self._last_heartbeat < HEARTBEAT_SECONDS:
            return
        self._last_heartbeat = now
        if self.tracker.in_flight:
            self._write(
                f"{self.label}: [{self.tracker.done}/{self.tracker.planned}] "
                f"still {self.tracker.slowest()}"
            )

    def postfix_room(self) -> int | None:
        """Characters left for the bar's postfix, so tqdm never trims the line mid-word."""
        if not self.columns:
            return None
        counts = f"{self.tracker.done}/{max(self.tracker.planned, self.tracker.done)}"
        # "{label}: {counts} " + bar (at least BAR_MIN) + " " + elapsed (up to 8) + ", "
        fixed = len(self.label) + 2 + len(counts) + 1 + BAR_MIN + 1 + 8 + 2
        return max(self.columns - fixed, 0)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def _write(self, text: str) -> None:
        write_line(text, self.stream)


def parse_line(line: str) -> dict | None:
    """One JSON UI message, or None for anything else (e.g. a crash dump)."""
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        message = json.loads(line)
    except json.JSONDecodeError:
        return None
    return message if isinstance(message, dict) else None


def new_log_file(directory: Path, name: str) -> Path:
    """A fresh log file for one run, e.g. .lmsops/logs/up-20261129-221500.log."""
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"


@dataclass
class Reporter:
    """How a command shows its Terraform runs: where the log goes, verbose or not."""

    log_file: Path
    verbose: bool = False
    stream: TextIO | None = None
    labelled: bool = False  # runs side by side: every line names its run (see alongside)

    def alongside(self) -> Reporter:
        """This reporter for runs side by side: plain lines, each one naming its run."""
        return replace(self, labelled=True)

    def say(self, text: str) -> None:
        """A line for the user (stdout: normal progress, not an error) and the log."""
        write_line(text, self.stream or sys.stdout)
        self._log(text + "\n")

    def run(
        self, args: list[str], cwd: Path, env: dict[str, str], label: str
    ) -> subprocess.CompletedProcess[str]:
        """Run `terraform ARGS` showing progress; TerraformError with the whole error on failure.

        ARGS holding `-json` are shown as progress (bar or plain lines); others
        (init) show one line, and Terraform's own text with `verbose`.
        """
        json_ui = "-json" in args
        tag = label if self.labelled else ""
        self._log(f"\n$ terraform {' '.join(args)}    # in {cwd}\n", tag)
        tracker = Tracker()
        view = None
        if json_ui:
            bar = False if self.labelled else None
            view = View(label, tracker, self.verbose, self.stream, bar, labelled=self.labelled)
        if view is None and not self.verbose:
            write_line(f"{label}: terraform {args[0]} ...", self.stream or sys.stdout)
            self._log(f"{label}: terraform {args[0]} ...\n", tag)
        human: list[str] = []

        def on_line(line: str) -> None:
            self._log(line, tag)
            message = parse_line(line) if json_ui else None
            if message is None:
                human.append(line.rstrip("\n"))
                if self.verbose:
                    text = line.rstrip("\n")
                    write_line(f"{label}: {text}" if tag else text, self.stream or sys.stdout)
                return
            if message.get("type") != "diagnostic" and message.get("@message"):
                human.append(message["@message"])
            if view is not None:
                view.message(message)

        try:
            proc = toolchain.run_streaming(
                args, cwd, env, on_line, on_tick=view.tick if view else lambda: None
            )
        finally:
            if view is not None:
                view.close()
        if proc.returncode != 0:
            details = "\n\n".join(tracker.errors) if tracker.errors else "\n".join(human)
            raise toolchain.TerraformError(tuple(args), proc.returncode, details)
        return proc

    def _log(self, text: str, tag: str = "") -> None:
        """Append TEXT to the log; with TAG, each of its lines starts `[TAG] `."""
        if tag:
            text = "".join(
                f"[{tag}] {line}" if line.strip() else line for line in text.splitlines(True)
            )
        with _OUTPUT_LOCK, self.log_file.open("a", encoding="utf-8") as log:
            log.write(text)
