"""Section 3: the environment lifecycle on the emulator, phase by phase.

Each cycle starts a fresh emulator and runs what `lmsops up`, CI and a
teardown run, through the project's own functions: bootstrap, apply
live/dev/backend and live/dev/frontend, publish the sample site, deploy a new
image, re-plan every root (each must be empty) and destroy the live roots.
bootstrap/ is not destroyed: its hosted zones are `prevent_destroy` by
design; stopping the emulator discards them.

Every Terraform process of a phase logs the provider at DEBUG level to the
phase's own file; `tflog` reads from it how long the provider's waiters held
the phase, so the rest (process start-up, schema load, graph walk, API
latency) shows as overhead.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import boto3

from bench import tflog
from bench.context import Context, NotRun
from bench.report import SectionResult, Table
from bench.stats import percent, seconds, summarize, summary_cells
from bench.timing import timed
from lmsops import environment, publish, roots, toolchain
from lmsops.deploy import ecs, flow
from lmsops.emulator import Emulator
from lmsops.emulator.images import push_image
from lmsops.terraform_progress import Reporter

TITLE = "3. Environment lifecycle on the emulator"
ENV = "dev"
TARGET_CYCLE_SECONDS = 220  # issue 11
DEPLOY_TIMEOUT_SECONDS = 300.0
SAMPLE_SITE = toolchain.REPO_ROOT / "site"
PHASES = (
    "emulator start",
    "bootstrap apply",
    f"live/{ENV}/backend+frontend apply",
    "publish sample site",
    "deploy a new image",
    "re-plan every root",
    "destroy live roots",
)


@dataclass
class PhaseRun:
    seconds: float
    waiter: tflog.WaiterReport | None  # None: the phase runs no Terraform
    detail: str = ""
    failed: bool = False


@dataclass
class Cycle:
    """The state one cycle builds up as its phases run."""

    work: Path
    repo: Path
    logs: Path
    emulator: Emulator | None = None
    boot: environment.Bootstrapped | None = None
    applied: dict[str, roots.Root] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)
    runs: dict[str, PhaseRun] = field(default_factory=dict)

    def log_file(self, phase: str, suffix: str = "") -> Path:
        return self.logs / f"{slug(phase)}{suffix}.log"


def slug(text: str) -> str:
    return text.replace("/", "-").replace(" ", "-")


def logging_env(path: Path) -> dict[str, str]:
    """Provider DEBUG records (its API calls) to PATH; core logging off."""
    return {"TF_LOG_PROVIDER": "DEBUG", "TF_LOG_CORE": "OFF", "TF_LOG_PATH": str(path)}


def log_terraform_to(path: Path) -> None:
    """Roots built from now on (they copy os.environ) log to PATH."""
    os.environ.pop("TF_LOG", None)
    os.environ.update(logging_env(path))


def retarget_log(root: roots.Root, path: Path) -> None:
    root.env.pop("TF_LOG", None)
    root.env.update(logging_env(path))


# -- the phases -------------------------------------------------------------------------


def start_emulator(ctx: Context, cycle: Cycle) -> str:
    cycle.emulator = Emulator(cycle.work / "emulator")
    info = cycle.emulator.start()
    os.environ.update(info.env())  # run_cycle puts the caller's environment back
    return info.endpoint


def progress(cycle: Cycle, phase: str) -> Reporter:
    """Terraform's progress on stdout (bar on a terminal, lines in CI), a log per phase."""
    return Reporter(log_file=cycle.log_file(phase, "-progress"))


def apply_bootstrap(ctx: Context, cycle: Cycle) -> str:
    cycle.boot = environment.bootstrap(cycle.repo, cycle.work, progress(cycle, "bootstrap"))
    cycle.applied["bootstrap"] = environment.bootstrap_root(cycle.repo, cycle.work)
    return f"{len(cycle.boot.outputs)} outputs"


def apply_live(ctx: Context, cycle: Cycle) -> str:
    """Both live roots side by side, as `lmsops up` applies them; a provider log each."""
    if cycle.boot is None:
        raise RuntimeError("the live roots need the bootstrap phase's backend settings")
    live = {
        f"live/{ENV}/{c}": environment.live_root(cycle.repo, ENV, c, cycle.work)
        for c in ("backend", "frontend")
    }
    for name, root in live.items():
        retarget_log(root, cycle.log_file(PHASES[2], "-" + slug(name)))
    cycle.applied.update(live)
    outputs = environment.apply_live_roots(
        live, cycle.boot.backend_config, progress(cycle, "apply live")
    )
    cycle.outputs.update({name.rsplit("/", 1)[1]: out for name, out in outputs.items()})
    return ", ".join(
        f"{name.rsplit('/', 1)[1]} {len(out)} outputs" for name, out in outputs.items()
    )


def publish_site(ctx: Context, cycle: Cycle) -> str:
    bucket = cycle.outputs["frontend"]["bucket_name"]
    summary, _ = publish.publish(boto3.client("s3"), bucket, SAMPLE_SITE, show_progress=False)
    return f"{summary}"


def deploy_image(ctx: Context, cycle: Cycle) -> str:
    backend = cycle.outputs["backend"]
    tag = f"bench-{int(time.time())}"
    image = f"{backend['ecr_repository_url']}:{tag}"
    # The deploy's pre-flight checks the tag is in ECR, as CI's push would make it.
    push_image(boto3.client("ecr"), backend["ecr_repository_url"].split("/", 1)[1], tag)
    request = flow.DeployRequest(
        cluster=backend["cluster_name"],
        service=backend["service_name"],
        image=image,
        container=backend.get("container_name"),
        timeout=DEPLOY_TIMEOUT_SECONDS,
    )
    deployer = flow.Deployer(ecs.make_client(), time.monotonic, time.sleep, lambda _: None)
    result = deployer.deploy(request)
    if result.exit_code != 0:
        raise RuntimeError(f"deploy {result.outcome}: {result.reason}")
    return f"{result.outcome}, ECS rollout {result.duration_seconds:.0f} s"


def replan_all(ctx: Context, cycle: Cycle) -> str:
    """`plan -detailed-exitcode` of every applied root, in parallel: 0 means empty."""

    def plan(item: tuple[str, roots.Root]) -> tuple[str, tuple[int, list[str]]]:
        name, root = item
        retarget_log(root, cycle.log_file("re-plan every root", "-" + slug(name)))
        proc = root.plan(detailed_exitcode=True)
        return name, (proc.returncode, changed_addresses(proc.stdout))

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = dict(pool.map(plan, cycle.applied.items()))
    changed = {name: addrs for name, (code, addrs) in results.items() if code != 0}
    if changed:
        described = "; ".join(f"{name}: {', '.join(a) or '?'}" for name, a in changed.items())
        raise RuntimeError(f"re-plan not empty: {described}")
    return f"{len(results)} of {len(results)} empty (exit 0)"


PLANNED_CHANGE = re.compile(r"^\s*# (\S+) (?:will be|must be)", re.MULTILINE)


def changed_addresses(plan_output: str) -> list[str]:
    """Resource addresses a human-readable plan says will change."""
    return PLANNED_CHANGE.findall(plan_output)


def destroy_live(ctx: Context, cycle: Cycle) -> str:
    order = [f"live/{ENV}/frontend", f"live/{ENV}/backend"]
    destroyed = []
    for name in order:
        root = cycle.applied.get(name)
        if root is not None:
            retarget_log(root, cycle.log_file("destroy live roots", "-" + slug(name)))
            root.destroy()
            destroyed.append(name)
    return ", ".join(destroyed)


STEPS: dict[str, Callable[[Context, Cycle], str]] = dict(
    zip(
        PHASES,
        (
            start_emulator,
            apply_bootstrap,
            apply_live,
            publish_site,
            deploy_image,
            replan_all,
            destroy_live,
        ),
        strict=True,
    )
)


# -- running cycles -----------------------------------------------------------------------


def run_phase(ctx: Context, cycle: Cycle, phase: str) -> PhaseRun:
    log = cycle.log_file(phase)
    log_terraform_to(log)
    try:
        elapsed, detail = timed(lambda: STEPS[phase](ctx, cycle))
        failed = False
    except Exception as exc:  # a failed phase is a result to report, not a crash
        elapsed, detail, failed = 0.0, first_line(exc), True
    logs = sorted(cycle.logs.glob(log.stem + "*.log"))
    waiter = tflog.analyse(logs) if logs else None
    return PhaseRun(elapsed, waiter, detail, failed)


def run_cycle(ctx: Context, index: int) -> Cycle:
    work = ctx.work_dir / f"lifecycle-{index}"
    logs = work / "tf-logs"
    logs.mkdir(parents=True, exist_ok=True)
    cycle = Cycle(work, roots.copy_repo(work / "repo"), logs)
    saved = dict(os.environ)
    try:
        for phase in PHASES:
            cycle.runs[phase] = run_phase(ctx, cycle, phase)
            if cycle.runs[phase].failed and phase in ESSENTIAL:
                break
    finally:
        if cycle.emulator is not None:
            cycle.emulator.stop()
        os.environ.clear()
        os.environ.update(saved)
    return cycle


# Later phases cannot run without these.
ESSENTIAL = {"emulator start", "bootstrap apply", f"live/{ENV}/backend+frontend apply"}


def first_line(exc: Exception) -> str:
    if isinstance(exc, toolchain.TerraformError):
        # The first line only names the command; Terraform's reason comes after it.
        return f"terraform {exc.command[0]}: {environment.terraform_error_summary(exc.output)}"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"[:300]


def run(ctx: Context) -> SectionResult:
    missing = [
        p
        for p in ("bootstrap", f"live/{ENV}/backend", f"live/{ENV}/frontend")
        if not (toolchain.REPO_ROOT / p).is_dir()
    ]
    if missing:
        raise NotRun(f"{', '.join(missing)} not in the repository yet")
    cycles = [run_cycle(ctx, i) for i in range(ctx.repeat_for("lifecycle"))]
    return SectionResult(TITLE, [phase_table(cycles)], notes(cycles), headlines=headline(cycles))


def complete_cycles(cycles: list[Cycle]) -> list[Cycle]:
    return [c for c in cycles if all(p in c.runs and not c.runs[p].failed for p in PHASES)]


def headline(cycles: list[Cycle]) -> list[str]:
    complete = complete_cycles(cycles)
    if not complete:
        return [f"Environment lifecycle: no complete cycle out of {len(cycles)}."]
    total = summarize([sum(r.seconds for r in c.runs.values()) for c in complete]).median
    waited = summarize([sum(waiter_seconds(r) for r in c.runs.values()) for c in complete]).median
    return [
        f"Environment lifecycle on the emulator (start to destroy): {seconds(total)} median "
        f"(target < {TARGET_CYCLE_SECONDS} s), {percent(waited / total)} of it in the AWS "
        "provider's waiters."
    ]


# -- the report -----------------------------------------------------------------------------


def phase_table(cycles: list[Cycle]) -> Table:
    table = Table(
        [
            "phase",
            "runs",
            "min",
            "median",
            "max",
            "in provider waiters",
            "rest (overhead)",
            "longest waiters (median run)",
            "result",
        ]
    )
    for phase in PHASES:
        runs = [c.runs[phase] for c in cycles if phase in c.runs]
        table.rows.append(phase_row(phase, runs))
    complete = complete_cycles(cycles)
    if complete:
        totals = summarize([sum(r.seconds for r in c.runs.values()) for c in complete])
        waits = summarize([sum(waiter_seconds(r) for r in c.runs.values()) for c in complete])
        table.rows.append(
            [
                "**whole cycle**",
                str(len(complete)),
                *summary_cells(totals),
                f"{seconds(waits.median)} ({percent(waits.median / totals.median)})",
                seconds(totals.median - waits.median),
                "",
                f"target < {TARGET_CYCLE_SECONDS} s: "
                + ("met" if totals.median < TARGET_CYCLE_SECONDS else "missed"),
            ]
        )
    return table


def waiter_seconds(run_: PhaseRun) -> float:
    return run_.waiter.seconds if run_.waiter else 0.0


def phase_row(phase: str, runs: list[PhaseRun]) -> list[str]:
    ok = [r for r in runs if not r.failed]
    failures = [r.detail for r in runs if r.failed]
    result = "; ".join(failures) if failures else (ok[-1].detail if ok else "not reached")
    if not ok:
        return [phase, "0", "", "", "", "", "", "", result]
    wall = summarize([r.seconds for r in ok])
    median_run = min(ok, key=lambda r: abs(r.seconds - wall.median))
    if median_run.waiter is None:
        waiting, rest, longest = "no Terraform", seconds(wall.median), ""
    else:
        waited = summarize([waiter_seconds(r) for r in ok]).median
        waiting = f"{seconds(waited)} ({percent(waited / wall.median if wall.median else 0)})"
        rest = seconds(max(wall.median - waited, 0.0))
        longest = tflog.top_types(median_run.waiter.by_resource_type)
    return [phase, str(len(ok)), *summary_cells(wall), waiting, rest, longest, result]


def notes(cycles: list[Cycle]) -> list[str]:
    return [
        "Each cycle starts a fresh emulator; phases run through lmsops.environment "
        "(bootstrap, apply_live_roots), lmsops.publish.publish and lmsops.deploy.flow.Deployer "
        "(default poll interval), like `lmsops up` and CI.",
        "Re-plan: `terraform plan -detailed-exitcode` of bootstrap/ and every applied live "
        "root, in parallel; the phase fails unless each exits 0 (no changes).",
        "Destroy covers the live roots; bootstrap/ keeps its `prevent_destroy` zones and "
        "is discarded with the emulator.",
        "In provider waiters: union over resources of the provider's sleeps between polls "
        "and retries, read from TF_LOG_PROVIDER=DEBUG timestamps (method at the top of "
        "this page). Rest = median wall - median waiter time.",
    ]
