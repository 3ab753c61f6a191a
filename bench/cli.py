"""`python -m bench`: run the selected sections, append the results to docs/benchmarks.md."""

from __future__ import annotations

import argparse
import importlib
import shutil
import sys
import tempfile
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench import machine, report
from bench.context import Context, NotRun
from lmsops import toolchain
from lmsops.errors import UserError

SECTIONS = {
    "floor": "bench.floor_section",
    "feedback": "bench.feedback",
    "lifecycle": "bench.lifecycle",
    "rollout": "bench.rollout_section",
    "scale": "bench.scale",
}
DEFAULT_DOC = toolchain.REPO_ROOT / "docs" / "benchmarks.md"


def parse_sections(text: str) -> list[str]:
    chosen = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown section(s) {', '.join(unknown) or '(none)'}; "
            f"choose from {', '.join(SECTIONS)}"
        )
    return [name for name in SECTIONS if name in chosen]  # always in document order


def parse_override(text: str) -> tuple[str, int]:
    name, _, count = text.partition("=")
    if name not in SECTIONS or not count.isdigit() or int(count) < 1:
        raise argparse.ArgumentTypeError(f"expected SECTION=N with N >= 1, got {text!r}")
    return name, int(count)


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--section",
        type=parse_sections,
        default=list(SECTIONS),
        help=f"comma-separated sections to run (default: all): {','.join(SECTIONS)}",
    )
    parser.add_argument("--repeat", type=positive_int, default=3, help="runs per measurement")
    parser.add_argument(
        "--repeat-for",
        type=parse_override,
        action="append",
        default=[],
        metavar="SECTION=N",
        help="a different number of runs for one section, e.g. lifecycle=1",
    )
    parser.add_argument(
        "--output", type=Path, default=DEFAULT_DOC, help="markdown file to append to"
    )
    parser.add_argument("--no-write", action="store_true", help="print the results only")
    parser.add_argument("--keep-work", action="store_true", help="keep the temporary work folder")
    return parser


def run_section(name: str, ctx: Context) -> report.SectionResult:
    say(f"section {name} ...")
    try:
        module = importlib.import_module(SECTIONS[name])
    except ImportError as exc:
        return report.SectionResult(name, not_run=f"the section's code is missing ({exc})")
    try:
        return module.run(ctx)
    except NotRun as exc:
        return report.SectionResult(module.TITLE, not_run=str(exc))
    except Exception as exc:  # one broken section must not lose the others' figures
        traceback.print_exc(file=sys.stderr)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return report.SectionResult(module.TITLE, not_run=f"{type(exc).__name__}: {reason}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    started = datetime.now(UTC)
    work_dir = Path(tempfile.mkdtemp(prefix="lmsops-bench-"))
    ctx = Context(work_dir, args.repeat, dict(args.repeat_for))
    try:
        try:
            described = machine.describe(ctx.floor_root(), started)
        except (UserError, OSError) as exc:
            print(f"bench: cannot run: {exc}", file=sys.stderr)
            return 1
        results = [run_section(name, ctx) for name in args.section]
    finally:
        ctx.close()
        if args.keep_work:
            say(f"work folder kept: {work_dir}")
        else:
            shutil.rmtree(work_dir, ignore_errors=True)
    text = report.render_run(run_heading(started, args), described, results)
    print(text)
    if not args.no_write:
        report.append_run(args.output, text)
        say(f"appended to {args.output}")
    return 0


def run_heading(started: datetime, args: argparse.Namespace) -> str:
    overrides = "".join(f", {name}={count}" for name, count in args.repeat_for)
    return f"Run of {started:%Y-%m-%d %H:%M} UTC (--repeat {args.repeat}{overrides})"


def say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)
