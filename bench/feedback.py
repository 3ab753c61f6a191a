"""Section 2, the feedback loop: wall time of the static, plan and policy tiers, cold and warm.

Each tier runs as `tox -e <tier>` would run it (its `commands` read from tox.ini),
one after the other, as a pytest subprocess of this interpreter. Every round runs
the three tiers twice: cold, on new empty caches (no plan inventory, no mypy or ruff
cache: a clean clone), then warm, on the same caches again with nothing changed (a
developer's re-run). A `terraform` shim first on PATH (bench.tfshim) counts the
Terraform processes and the roots planned. Issue 11's ratio divides the cold total
by (roots planned x one plan of an empty root): 1.0 would mean the tiers cost no
more than planning each root they plan once, with nothing in it.
"""

from __future__ import annotations

import configparser
import os
import re
import shlex
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bench import tfshim
from bench.context import Context, NotRun
from bench.report import SectionResult, Table
from bench.stats import seconds, summarize, summary_cells
from bench.tfshim import TerraformUse
from bench.timing import timed
from lmsops import paths, toolchain, validate

TITLE = "2. Feedback loop: static + plan + policy tiers, cold and warm"
TIERS = ("lint", "unit", "policy")
PHASES = ("cold", "warm")
TARGET_TOTAL_SECONDS = 45  # issue 11: lint + unit + policy under 45 s on 2 cores
TARGET_RATIO = 1.5  # issue 11: at most 1.5 x (roots planned x one plan of an empty root)
SLOWEST = 3
DURATION_LINE = re.compile(r"^(\d+(?:\.\d+)?)s (setup|call|teardown)\s+(\S+)", re.MULTILINE)
# The caches a clean clone does not have, each moved by its tool's own variable.
CACHE_ENVS = {paths.CACHE_ENV: "lmsops", "MYPY_CACHE_DIR": "mypy", "RUFF_CACHE_DIR": "ruff"}


@dataclass(frozen=True)
class TierRun:
    tier: str
    seconds: float
    returncode: int
    log: Path
    phase: str = "cold"
    terraform: TerraformUse = field(default_factory=TerraformUse)


Round = dict[str, list[TierRun]]  # phase -> the tiers' runs, in TIERS order


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


def tier_env(
    base: dict[str, str], shim_dir: Path, terraform_log: Path, caches: Path
) -> dict[str, str]:
    """BASE with the shim first on PATH, its log set, and every cache under CACHES."""
    env = dict(base)
    env["PATH"] = os.pathsep.join(p for p in (str(shim_dir), base.get("PATH", "")) if p)
    env[tfshim.LOG_ENV] = str(terraform_log)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # as tox.ini sets it: no bytecode cache survives
    for name, folder in CACHE_ENVS.items():
        env[name] = str(caches / folder)
    return env


def run_tier(
    tier: str, phase: str, pytest_args: list[str], logs: Path, env: dict[str, str]
) -> TierRun:
    """Run TIER's pytest in ENV; its output goes to LOGS/<phase>-<tier>.log."""
    command = [
        *(sys.executable, "-m", "pytest", *pytest_args),
        *("-q", "-p", "no:cacheprovider", f"--durations={SLOWEST}"),
    ]
    log = logs / f"{phase}-{tier}.log"
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
    terraform = tfshim.read_log(Path(env[tfshim.LOG_ENV]))
    return TierRun(tier, elapsed, proc.returncode, log, phase, terraform)


def run_round(
    logs: Path, commands: dict[str, list[str]], base: dict[str, str], shim_dir: Path
) -> Round:
    """The tiers cold (new caches under LOGS), then warm (the same caches again)."""
    caches = logs / "caches"
    result: Round = {}
    for phase in PHASES:
        result[phase] = [
            run_tier(
                tier,
                phase,
                commands[tier],
                logs,
                tier_env(base, shim_dir, logs / f"{phase}-{tier}.terraform.tsv", caches),
            )
            for tier in TIERS
        ]
    return result


def slowest_tests(log_text: str) -> list[tuple[float, str, str]]:
    """(seconds, phase, test id) of pytest's `--durations` report, slowest first."""
    found = [(float(s), phase, test) for s, phase, test in DURATION_LINE.findall(log_text)]
    return sorted(found, reverse=True)


def slowest_note(runs: list[TierRun], label: str) -> str:
    parts = []
    for run_ in runs:
        text = run_.log.read_text(errors="replace") if run_.log.exists() else ""
        top = slowest_tests(text)[:SLOWEST]
        shown = ", ".join(
            f"`{test.split('::')[-1]}` {phase} {sec:.0f} s" for sec, phase, test in top
        )
        parts.append(f"{run_.tier}: {shown or 'n/a'}")
    return f"Slowest tests ({label}): " + "; ".join(parts) + "."


def overhead_ratio(total_seconds: float, roots_planned: int, floor_seconds: float) -> float | None:
    """Issue 11's ratio: TOTAL / (ROOTS_PLANNED x floor); None when nothing was planned."""
    if roots_planned <= 0 or floor_seconds <= 0:
        return None
    return total_seconds / (roots_planned * floor_seconds)


def phase_totals(rounds: list[Round], phase: str) -> list[float]:
    return [sum(r.seconds for r in one[phase]) for one in rounds]


def roots_planned(rounds: list[Round], phase: str = "cold") -> int:
    """Roots the tiers of PHASE planned together, the lower median over rounds."""
    counts = [tfshim.combine(r.terraform for r in one[phase]).roots_planned for one in rounds]
    return int(statistics.median_low(counts))


def failure_lines(log_text: str, limit: int = 5) -> list[str]:
    """pytest's FAILED/ERROR summary lines of a log, else its last non-empty line."""
    found = [line for line in log_text.splitlines() if line.startswith(("FAILED ", "ERROR "))]
    if found:
        return found[:limit]
    return [line for line in log_text.splitlines() if line.strip()][-1:]


def failure_note(runs: list[TierRun]) -> str | None:
    """What failed in RUNS, read from their logs (the bench's work folder does not survive)."""
    parts = []
    for run_ in (r for r in runs if r.returncode != 0):
        text = run_.log.read_text(errors="replace") if run_.log.exists() else ""
        lines = "; ".join(f"`{line}`" for line in failure_lines(text)) or "no output"
        parts.append(f"{run_.tier} {run_.phase} (exit {run_.returncode}): {lines}")
    return "Failed: " + " | ".join(parts) + "." if parts else None


def outcome(runs: list[TierRun]) -> str:
    failed = [r for r in runs if r.returncode != 0]
    if not failed:
        return "passed"
    return "; ".join(f"exit {r.returncode}, see {r.log.name}" for r in failed)


@dataclass(frozen=True)
class Floors:
    plan: float
    validate: float
    folders: int  # lmsops.validate.targets(): the earlier ratio's divisor


def run(ctx: Context) -> SectionResult:
    tox_ini = toolchain.REPO_ROOT / "tox.ini"
    if not tox_ini.exists():
        raise NotRun("tox.ini not found")
    commands = {tier: tier_command(tox_ini.read_text(), tier) for tier in TIERS}
    real = toolchain.terraform_bin()  # before the shim is on any PATH
    shim_dir = tfshim.install(
        ctx.work_dir / "terraform-shim", real, ctx.work_dir / "terraform-unlabelled.tsv"
    )
    base = ctx.original_env()
    rounds: list[Round] = []
    for index in range(ctx.repeat_for("feedback")):
        logs = ctx.work_dir / f"feedback-{index}"
        logs.mkdir(parents=True, exist_ok=True)
        rounds.append(run_round(logs, commands, base, shim_dir))
    floors = Floors(ctx.floor("plan"), ctx.floor("validate"), len(validate.targets()))
    found_notes = [
        *notes(commands),
        *(slowest_note(rounds[-1][phase], f"last round, {phase}") for phase in PHASES),
        *filter(None, (failure_note(one[phase]) for one in rounds for phase in PHASES)),
    ]
    return SectionResult(
        TITLE,
        [timing_table(rounds), terraform_table(rounds[-1]), verdict_table(rounds, floors)],
        found_notes,
        headlines=[headline(rounds, floors.plan)],
    )


def ratio_text(ratio: float | None) -> str:
    return "n/a (no plan counted)" if ratio is None else f"{ratio:.2f}"


def headline(rounds: list[Round], floor_plan: float) -> str:
    cold = summarize(phase_totals(rounds, "cold")).median
    warm = summarize(phase_totals(rounds, "warm")).median
    roots = roots_planned(rounds)
    ratio = overhead_ratio(cold, roots, floor_plan)
    return (
        f"Feedback loop (lint + unit + policy tiers, median of {len(rounds)}): "
        f"cold {seconds(cold)} (target < {TARGET_TOTAL_SECONDS} s), warm {seconds(warm)}; "
        f"{roots} Terraform roots planned cold; ratio {ratio_text(ratio)} = cold / "
        f"({roots} x {seconds(floor_plan)} empty-root plan) (target < {TARGET_RATIO})."
    )


def timing_table(rounds: list[Round]) -> Table:
    table = Table(["tier", "caches", "runs", "min", "median", "max", "result"])
    for phase in PHASES:
        for position, tier in enumerate(TIERS):
            runs = [one[phase][position] for one in rounds]
            cells = summary_cells(summarize([r.seconds for r in runs]))
            table.rows.append([tier, phase, str(len(runs)), *cells, outcome(runs)])
        every = [r for one in rounds for r in one[phase]]
        cells = summary_cells(summarize(phase_totals(rounds, phase)))
        table.rows.append(["**total**", phase, str(len(rounds)), *cells, outcome(every)])
    return table


def terraform_row(tier: str, phase: str, use: TerraformUse) -> list[str]:
    others = use.others()
    other = str(sum(others.values()))
    if others:
        other += " (" + ", ".join(f"{sub or '(none)'} {n}" for sub, n in others.items()) + ")"
    counted = [str(use.count(sub)) for sub in tfshim.COUNTED]
    return [tier, phase, str(use.roots_planned), *counted, other]


def terraform_table(last: Round) -> Table:
    """Terraform processes per tier of the last round (the shim's logs)."""
    table = Table(["tier", "caches", "roots planned", *tfshim.COUNTED, "other"])
    for phase in PHASES:
        table.rows += [terraform_row(r.tier, phase, r.terraform) for r in last[phase]]
        together = tfshim.combine(r.terraform for r in last[phase])
        table.rows.append(terraform_row("**all tiers**", phase, together))
    return table


def verdict_table(rounds: list[Round], floors: Floors) -> Table:
    cold = summarize(phase_totals(rounds, "cold")).median
    warm = summarize(phase_totals(rounds, "warm")).median
    roots = roots_planned(rounds)
    ratio = overhead_ratio(cold, roots, floors.plan)
    earlier = overhead_ratio(cold, floors.folders, floors.validate)
    return Table(
        ["figure", "value", "target", "met"],
        [
            [
                "cold: tiers together (median)",
                seconds(cold),
                f"< {TARGET_TOTAL_SECONDS} s",
                yes_no(cold < TARGET_TOTAL_SECONDS),
            ],
            ["warm: tiers together (median)", seconds(warm), "", ""],
            ["Terraform roots planned (cold, all tiers)", str(roots), "", ""],
            ["floor: `terraform plan` of an empty root (median)", seconds(floors.plan), "", ""],
            [
                f"ratio = cold / ({roots} roots planned x floor plan)",
                ratio_text(ratio),
                f"< {TARGET_RATIO}",
                yes_no(ratio is not None and ratio < TARGET_RATIO),
            ],
            [
                f"earlier definition: cold / ({floors.folders} folders x floor validate "
                f"{seconds(floors.validate)})",
                ratio_text(earlier),
                "",
                "",
            ],
        ],
    )


def notes(commands: dict[str, list[str]]) -> list[str]:
    shown = ", ".join(f"{tier}: `pytest {' '.join(args)}`" for tier, args in commands.items())
    return [
        f"Tiers run one after the other as in tox.ini ({shown}).",
        "Cold: new empty `LMSOPS_CACHE_DIR` (no plan inventory), `MYPY_CACHE_DIR` and "
        "`RUFF_CACHE_DIR` per round; warm: the same three again, nothing changed.",
        "Terraform processes are counted by a `terraform` shim first on PATH; roots planned "
        "= distinct working directories of a `terraform plan`. The process table is the "
        "last round's.",
        "Earlier definition (the runs on this page before the floor became a plan, which "
        "timed whatever cache was on disk): every module, module example, bootstrap and "
        "live root (`lmsops.validate.targets()`) x the `terraform validate` floor.",
    ]


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"
