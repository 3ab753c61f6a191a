"""Section 2, the feedback loop: wall time of the static, plan and policy tiers.

Each tier runs as `tox -e <tier>` would run it (its `commands` read from
tox.ini), one after the other, as a pytest subprocess of this interpreter.
The overhead ratio divides the total by (number of Terraform folders the
tiers check x the floor): 1.0 would mean the tiers cost no more than loading
the provider schema once per folder.
"""

from __future__ import annotations

import configparser
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bench.context import Context, NotRun
from bench.report import SectionResult, Table
from bench.stats import seconds, summarize, summary_cells
from bench.timing import timed
from lmsops import toolchain, validate

TITLE = "2. Feedback loop: static + plan + policy tiers"
TIERS = ("lint", "unit", "policy")
TARGET_TOTAL_SECONDS = 45  # issue 11: lint + unit + policy under 45 s on 2 cores
TARGET_RATIO = 1.5
SLOWEST = 3
DURATION_LINE = re.compile(r"^(\d+(?:\.\d+)?)s (setup|call|teardown)\s+(\S+)", re.MULTILINE)


@dataclass(frozen=True)
class TierRun:
    tier: str
    seconds: float
    returncode: int
    log: Path


def tier_command(tox_ini_text: str, tier: str) -> list[str]:
    """The pytest command tox runs for TIER, with {env_name} filled and {posargs} dropped."""
    config = configparser.ConfigParser(interpolation=None)
    config.read_string(tox_ini_text)
    section = f"testenv:{tier}"
    if config.has_option(section, "commands"):
        raw = config.get(section, "commands")
    elif config.has_option("testenv", "commands"):
        raw = config.get("testenv", "commands")
    else:
        raise ValueError(f"tox.ini has no commands for {tier}")
    lines = [line.strip() for line in raw.strip().splitlines() if line.strip()]
    if len(lines) != 1:
        raise ValueError(f"expected one command for {tier} in tox.ini, found {len(lines)}")
    words = shlex.split(lines[0].replace("{env_name}", tier).replace("{posargs}", ""))
    if words[0] != "pytest":
        raise ValueError(f"the {tier} tier does not run pytest: {lines[0]}")
    return words[1:]


def run_tier(tier: str, pytest_args: list[str], log: Path, env: dict[str, str]) -> TierRun:
    command = [
        *(sys.executable, "-m", "pytest", *pytest_args),
        *("-q", "-p", "no:cacheprovider", f"--durations={SLOWEST}"),
    ]
    with log.open("w") as out:
        elapsed, proc = timed(
            lambda: subprocess.run(
                command,
                check=False,
                cwd=toolchain.REPO_ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        )
    return TierRun(tier, elapsed, proc.returncode, log)


def slowest_tests(log_text: str) -> list[tuple[float, str, str]]:
    """(seconds, phase, test id) of pytest's `--durations` report, slowest first."""
    found = [(float(s), phase, test) for s, phase, test in DURATION_LINE.findall(log_text)]
    return sorted(found, reverse=True)


def slowest_note(runs: list[TierRun]) -> str:
    parts = []
    for run_ in runs:
        text = run_.log.read_text(errors="replace") if run_.log.exists() else ""
        top = slowest_tests(text)[:SLOWEST]
        shown = ", ".join(
            f"`{test.split('::')[-1]}` {phase} {sec:.0f} s" for sec, phase, test in top
        )
        parts.append(f"{run_.tier}: {shown or 'n/a'}")
    return "Slowest tests (last round): " + "; ".join(parts) + "."


def counted_folders() -> int:
    return len(validate.targets())


def overhead_ratio(total_seconds: float, folders: int, floor_seconds: float) -> float:
    return total_seconds / (folders * floor_seconds)


def outcome(runs: list[TierRun]) -> str:
    failed = [r for r in runs if r.returncode != 0]
    if not failed:
        return "passed"
    return "; ".join(f"exit {r.returncode}, see {r.log.name}" for r in failed)


def run(ctx: Context) -> SectionResult:
    tox_ini = toolchain.REPO_ROOT / "tox.ini"
    if not tox_ini.exists():
        raise NotRun("tox.ini not found")
    commands = {tier: tier_command(tox_ini.read_text(), tier) for tier in TIERS}
    env = ctx.original_env()
    rounds: list[list[TierRun]] = []
    for index in range(ctx.repeat_for("feedback")):
        logs = ctx.work_dir / f"feedback-{index}"
        logs.mkdir(parents=True, exist_ok=True)
        rounds.append([run_tier(t, commands[t], logs / f"{t}.log", env) for t in TIERS])
    found_notes = [*notes(commands), slowest_note(rounds[-1])]
    folders, floor_seconds = counted_folders(), ctx.floor("validate")
    return SectionResult(
        TITLE,
        tables(rounds, folders, floor_seconds),
        found_notes,
        headlines=[headline(rounds, folders, floor_seconds)],
    )


def headline(rounds: list[list[TierRun]], folders: int, floor_seconds: float) -> str:
    total = summarize([sum(r.seconds for r in one) for one in rounds]).median
    ratio = overhead_ratio(total, folders, floor_seconds)
    return (
        f"Feedback loop (lint + unit + policy tiers): {seconds(total)} median "
        f"(target < {TARGET_TOTAL_SECONDS} s); overhead ratio {ratio:.2f} over {folders} "
        f"folders (target < {TARGET_RATIO})."
    )


def tables(rounds: list[list[TierRun]], folders: int, floor_seconds: float) -> list[Table]:
    timing = Table(["tier", "runs", "min", "median", "max", "result"])
    for position, tier in enumerate(TIERS):
        runs = [r[position] for r in rounds]
        samples = [r.seconds for r in runs]
        timing.rows.append(
            [tier, str(len(runs)), *summary_cells(summarize(samples)), outcome(runs)]
        )
    totals = summarize([sum(r.seconds for r in one) for one in rounds])
    every = [r for one in rounds for r in one]
    timing.rows.append(["**total**", str(len(rounds)), *summary_cells(totals), outcome(every)])
    ratio = overhead_ratio(totals.median, folders, floor_seconds)
    verdict = Table(
        ["figure", "value", "target", "met"],
        [
            [
                "tiers together (median)",
                seconds(totals.median),
                f"< {TARGET_TOTAL_SECONDS} s",
                yes_no(totals.median < TARGET_TOTAL_SECONDS),
            ],
            ["Terraform folders checked", str(folders), "", ""],
            ["floor (median)", seconds(floor_seconds), "", ""],
            [
                f"overhead ratio = total / ({folders} x floor)",
                f"{ratio:.2f}",
                f"< {TARGET_RATIO}",
                yes_no(ratio < TARGET_RATIO),
            ],
        ],
    )
    return [timing, verdict]


def notes(commands: dict[str, list[str]]) -> list[str]:
    shown = ", ".join(f"{tier}: `pytest {' '.join(args)}`" for tier, args in commands.items())
    return [
        f"Tiers run one after the other as in tox.ini ({shown}).",
        "Folders checked = every module, module example, bootstrap and live root "
        "(`lmsops.validate.targets()`).",
    ]


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"
