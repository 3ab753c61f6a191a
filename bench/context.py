"""What the sections share in one run: repeat counts, a work folder, the floor, an emulator."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bench import floor
from bench.stats import summarize
from lmsops.emulator import Emulator
from lmsops.environment import create_hosted_zones, live_zone_names
from lmsops.roots import Root


class NotRun(Exception):
    """A section's prerequisites are missing; the message says which."""


@dataclass
class Context:
    work_dir: Path
    repeat: int
    repeat_overrides: dict[str, int] = field(default_factory=dict)
    floor_seconds: dict[str, float] = field(default_factory=dict)  # median per floor.COMMANDS
    _floor_root: Root | None = None
    _emulator: Emulator | None = None
    _zones: list[str] | None = None
    _saved_env: dict[str, str | None] = field(default_factory=dict)

    def repeat_for(self, section: str) -> int:
        return self.repeat_overrides.get(section, self.repeat)

    def floor_root(self) -> Root:
        if self._floor_root is None:
            self._floor_root = floor.prepare(self.work_dir)
        return self._floor_root

    def floor(self, command: str) -> float:
        """The floor's median for COMMAND ("plan", "validate"), measured here (3 runs)
        if section 1 did not run."""
        if command not in self.floor_seconds:
            samples = floor.measure(self.floor_root(), command, 3)
            self.floor_seconds[command] = summarize(samples).median
        return self.floor_seconds[command]

    # -- the shared emulator (sections 4 and 5; section 3 starts its own) ------------

    def start_shared_emulator(self) -> None:
        """Start one emulator for the run and point os.environ at it (until close)."""
        if self._emulator is None:
            emu = Emulator(self.work_dir / "shared-emulator")
            info = emu.start()
            self._emulator = emu
            self.set_env(info.env())

    def zones_ready(self) -> list[str]:
        """The shared emulator, holding the hosted zones the live roots look up by name.

        Created directly rather than by applying bootstrap/ (whose state bucket's
        lifecycle waiter alone takes about a minute): sections 4 and 5 only plan.
        """
        if self._zones is None:
            self.start_shared_emulator()
            self._zones = create_hosted_zones(live_zone_names())
        return self._zones

    def set_env(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self._saved_env.setdefault(key, os.environ.get(key))
            os.environ[key] = value

    def original_env(self) -> dict[str, str]:
        """os.environ as it was before this run pointed it at the shared emulator."""
        env = dict(os.environ)
        for key, value in self._saved_env.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value
        return env

    def restore_env(self) -> None:
        for key, value in self._saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._saved_env.clear()

    def close(self) -> None:
        if self._emulator is not None:
            self._emulator.stop()
            self._emulator = None
        self.restore_env()
