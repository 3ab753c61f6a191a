"""A command whose reader goes away (`lmsops ... | head -1`) stops quietly: no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_closed_pipe_ends_quietly_with_141() -> None:
    script = (
        "import sys\n"
        "from lmsops import cli\n"
        "def chatty(args):\n"
        "    for n in range(100000):\n"
        "        print('line', n)\n"
        "    return 0\n"
        "parser = cli.build_parser\n"
        "def build():\n"
        "    p = parser()\n"
        "    sub = p._subparsers._group_actions[0]\n"
        "    sub.add_parser('chatty').set_defaults(func=chatty)\n"
        "    return p\n"
        "cli.build_parser = build\n"
        "sys.exit(cli.main(['chatty']))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr
    assert proc.returncode == 141
