"""Section 4: rollout time implied by the settings of live/dev and live/prod.

Each backend root is planned (local state, on a copy of the repository, on
the shared emulator holding the hosted zone the roots look up) and the
figures are read from its plan JSON.
"""

from __future__ import annotations

from bench import rollout
from bench.context import Context, NotRun
from bench.report import SectionResult, Table
from lmsops import roots

TITLE = "4. Rollout time implied by the settings (worst case, update_service to old tasks drained)"
TARGETS = {"dev": 90, "prod": 120}
COMPONENT = "backend"
# The live roots state their own figure; shown beside ours as a cross-check.
DECLARED_OUTPUT = "rolling_deploy_worst_case_seconds"
HEADERS = [
    "root",
    "interval x healthy threshold",
    "deregistration delay",
    "grace period",
    "total",
    f"root output `{DECLARED_OUTPUT}`",
    "target",
    "met",
]


def plan_json(ctx: Context, env_name: str) -> dict:
    copy = ctx.work_dir / "rollout-repo"
    if not copy.exists():
        roots.copy_repo(copy)
    root = roots.Root(
        copy / "live" / env_name / COMPONENT, data_dir=ctx.work_dir / "rollout-tfdata" / env_name
    )
    root.use_local_backend()
    root.init()
    return root.plan_json()


def row(
    label: str, settings: rollout.RolloutSettings, target: int | None, declared: int | None = None
) -> list[str]:
    return [
        label,
        f"{settings.interval} s x {settings.healthy_threshold}"
        f" = {settings.health_checks_seconds} s",
        f"{settings.deregistration_delay} s",
        f"{settings.grace_period} s",
        f"**{settings.total_seconds} s**",
        "" if declared is None else f"{declared} s",
        f"< {target} s" if target else "",
        ("yes" if settings.total_seconds < target else "no") if target else "",
    ]


def run(ctx: Context) -> SectionResult:
    present = [e for e in TARGETS if (roots.REPO_ROOT / "live" / e / COMPONENT).is_dir()]
    if not present:
        raise NotRun(f"no live/<env>/{COMPONENT} root in the repository yet")
    ctx.zones_ready()
    table = Table(HEADERS)
    notes, headlines = [], []
    for env_name, target in TARGETS.items():
        if env_name not in present:
            notes.append(f"live/{env_name}/{COMPONENT}: not run: the root does not exist")
            continue
        plan = plan_json(ctx, env_name)
        settings = rollout.rollout_settings(plan)
        declared = rollout.declared_output(plan, DECLARED_OUTPUT)
        table.rows.append(row(f"live/{env_name}/{COMPONENT}", settings, target, declared))
        headlines.append(
            f"Rollout implied by live/{env_name} settings: {settings.total_seconds} s "
            f"(target < {target} s; AWS defaults: {rollout.AWS_DEFAULTS.total_seconds} s)."
        )
    table.rows.append(row("AWS defaults", rollout.AWS_DEFAULTS, None))
    notes.append(
        "total = health-check interval x healthy threshold + deregistration delay + "
        "service health_check_grace_period_seconds, read from each root's plan JSON "
        "(the worst target group and the longest grace period when there are several)."
    )
    return SectionResult(TITLE, [table], notes, headlines=headlines)
