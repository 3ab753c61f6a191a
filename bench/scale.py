"""Section 5, scale: plan time of live/dev/backend composed 1, 4 and 16 times in one root.

The fixture is generated in the run's temporary folder (never committed):
the repository's live/dev/backend root with its module calls (alb-https,
ecs-service, autoscaling) repeated N times. Copy 1 keeps the root's own
labels, names and outputs; copy i > 1 gets labels `<module>_s<i>`, the name
`<name>-s<i>` and the API domain `s<i>.<domain>`. It is planned with local
state against the shared emulator, after one untimed `init`.
"""

from __future__ import annotations

import re
from pathlib import Path

from bench.context import Context, NotRun
from bench.report import SectionResult, Table
from bench.stats import seconds, summarize, summary_cells
from bench.timing import timed
from lmsops import roots

TITLE = "5. Scale: plan time of live/dev/backend with 1, 4 and 16 services in one root"
SOURCE_ROOT = Path("live") / "dev" / "backend"
SIZES = (1, 4, 16)
MODULE_BLOCK = re.compile(
    r'^module "(?P<label>[A-Za-z0-9_-]+)" \{\n.*?^\}\n', re.DOTALL | re.MULTILINE
)
PLAN_SUMMARY = re.compile(r"Plan: (\d+) to add, (\d+) to change, (\d+) to destroy")


def module_blocks(main_tf: str) -> list[re.Match]:
    return list(MODULE_BLOCK.finditer(main_tf))


def stack_copy(blocks: list[re.Match], labels: list[str], index: int) -> str:
    """The module calls of one more stack: renamed labels, references, name and domain."""
    suffix = f"_s{index}"
    text = "\n".join(block.group(0) for block in blocks)
    for label in labels:
        text = re.sub(rf'^module "{label}" \{{', f'module "{label}{suffix}" {{', text, flags=re.M)
        text = re.sub(rf"\bmodule\.{label}\.", f"module.{label}{suffix}.", text)
    text = re.sub(r"(?<![\w.{])local\.name\b", f'"${{local.name}}-s{index}"', text)
    text = re.sub(r"(?<![\w.{])var\.domain_name\b", f'"s{index}.${{var.domain_name}}"', text)
    return text


def compose(main_tf: str, stacks: int) -> str:
    """MAIN_TF with its module calls repeated STACKS times in all."""
    blocks = module_blocks(main_tf)
    if not blocks:
        raise ValueError("the root has no module calls to repeat")
    labels = [b.group("label") for b in blocks]
    copies = [stack_copy(blocks, labels, i) for i in range(2, stacks + 1)]
    extra = "".join(f"\n# -- stack {i} (generated)\n{c}" for i, c in enumerate(copies, 2))
    return main_tf + extra


def write_fixture(repo_copy: Path, stacks: int) -> Path:
    """A root beside the source root (so relative module sources resolve), with N stacks."""
    source = repo_copy / SOURCE_ROOT
    target = source.parent / f"scale-{stacks}"
    target.mkdir(exist_ok=True)
    for item in source.glob("*.tf*"):
        if item.is_file():
            (target / item.name).write_text(item.read_text())
    (target / "main.tf").write_text(compose((source / "main.tf").read_text(), stacks))
    return target


def planned_count(plan_output: str) -> int:
    match = PLAN_SUMMARY.search(plan_output)
    return sum(int(n) for n in match.groups()) if match else 0


def measure(ctx: Context, repo_copy: Path, stacks: int) -> tuple[list[float], int]:
    path = write_fixture(repo_copy, stacks)
    root = roots.Root(path, data_dir=ctx.work_dir / "scale-tfdata" / str(stacks))
    root.use_local_backend()
    root.init()
    samples, count = [], 0
    for _ in range(ctx.repeat_for("scale")):
        elapsed, proc = timed(lambda: root.plan(var_args=["-lock=false"]))
        samples.append(elapsed)
        count = planned_count(proc.stdout)
    return samples, count


def run(ctx: Context) -> SectionResult:
    if not (roots.REPO_ROOT / SOURCE_ROOT / "main.tf").is_file():
        raise NotRun(f"{SOURCE_ROOT} is not in the repository yet")
    ctx.zones_ready()
    repo_copy = roots.copy_repo(ctx.work_dir / "scale-repo")
    table = Table(
        ["services", "resources planned", "runs", "min", "median", "max", "per service", "vs 1"]
    )
    baseline = None
    medians = {}
    for stacks in SIZES:
        samples, count = measure(ctx, repo_copy, stacks)
        summary = summarize(samples)
        baseline = baseline or summary.median
        medians[stacks] = summary.median
        table.rows.append(
            [
                str(stacks),
                str(count),
                str(len(samples)),
                *summary_cells(summary),
                seconds(summary.median / stacks),
                f"{summary.median / baseline:.1f}x",
            ]
        )
    notes = [
        "`terraform plan -lock=false` (local state, nothing applied: data sources read, every "
        "resource planned for creation); one untimed `init` per fixture.",
        "The fixture repeats live/dev/backend's module calls (alb-https, ecs-service, "
        "autoscaling) N times in one generated root in the run's temporary folder.",
    ]
    shown = ", ".join(f"{n}: {seconds(m)}" for n, m in medians.items())
    headline = f"Plan time of live/dev/backend composed N times (N: median): {shown}."
    return SectionResult(TITLE, [table], notes, headlines=[headline])
