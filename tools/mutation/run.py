"""Mutation testing, two parts, each writing its own section of docs/mutation.md.

    python tools/mutation/run.py                 # both parts
    python tools/mutation/run.py --terraform     # the Terraform defects only
    python tools/mutation/run.py --python        # mutmut on lmsops/ only
    python tools/mutation/run.py --terraform -k label    # defects whose name has "label"
    python tools/mutation/run.py --python --mutants 'lmsops.deploy.render*'  # re-check these
    python tools/mutation/run.py --python --recheck 'lmsops.deploy.*'  # their undetected only
    python tools/mutation/run.py --python --report-only  # rewrite the report from mutants/

Terraform: each mutation of mutations.py is applied to a temporary copy of the repository
and its tests run there. The copy holds the files git knows (tracked and untracked-but-not-
ignored), so the tests run against the mutated code and the copy's own lmsops (PYTHONPATH).
Each test selection is also run once unmutated: a selection that fails there says nothing.

Python: mutmut ([tool.mutmut] in pyproject.toml) mutates the areas of `only_mutate` and runs
the tests that cover each mutant; results stay in mutants/ (git-ignored), so a second run
checks only what is new or changed. The report scores each area; a survivor listed in
equivalent.toml (by mutant name, with the diff line it was reviewed for and the reason it
cannot change behaviour) is reported as equivalent instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutations import MUTATIONS, Mutation

try:  # the --python part's; `tox -e mutation` installs it (the "mutation" extra)
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.utils.format_utils import orig_function_and_class_names_from_key
except ImportError:
    get_diff_for_mutant = orig_function_and_class_names_from_key = None

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "docs" / "mutation.md"
EQUIVALENT = Path(__file__).resolve().parent / "equivalent.toml"
MUTANTS = REPO / "mutants"

# The target for every mutated area: killed / (checked - equivalent).
TARGET_SCORE = 90.0
# Areas meant to be mutated that are not in [tool.mutmut] only_mutate yet, and why.
PENDING: dict[str, str] = {}
# mutmut's exit codes per mutant (mutmut.stats.status_by_exit_code, 3.8.1), folded into
# the report's columns. A timeout means the mutant made its tests hang: detected.
KILLED_CODES = {1, 3, 37}
TIMEOUT_CODES = {36, 24, -24, 152, 255}
SURVIVED_CODES = {0}
NO_TESTS_CODES = {5, 33}


@dataclass
class Outcome:
    mutation: Mutation
    verdict: str  # caught, survived, or baseline-fails
    seconds: float
    failed: list[str]


def copy_repo(dest: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        relative = raw.decode()
        src, target = REPO / relative, dest / relative
        if not src.exists() and not src.is_symlink():
            continue  # deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            target.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, target)
    return dest


def apply(copy: Path, mutation: Mutation) -> None:
    path = copy / mutation.path
    text = path.read_text()
    count = text.count(mutation.old)
    if count != 1:
        raise SystemExit(
            f"mutation {mutation.name!r}: expected its text once in {mutation.path}, "
            f"found {count} times; update tools/mutation/mutations.py"
        )
    path.write_text(text.replace(mutation.old, mutation.new))


def run_tests(copy: Path, tests: tuple[str, ...]) -> tuple[int, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    # Plan only the selection's own scenarios, not the whole plan inventory (tests/inventory.py).
    env["LMSOPS_INVENTORY"] = "collected"
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *tests],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    failed = [
        line.split(" ", 1)[1].split(" - ")[0]
        for line in proc.stdout.splitlines()
        if line.startswith(("FAILED ", "ERROR "))
    ]
    return proc.returncode, failed


def check_mutation(mutation: Mutation, work: Path, baseline: dict) -> Outcome:
    started = time.monotonic()
    if mutation.tests not in baseline:
        clean = copy_repo(work / f"clean-{len(baseline)}")
        baseline[mutation.tests] = run_tests(clean, mutation.tests)[0]
    if baseline[mutation.tests] != 0:
        return Outcome(mutation, "baseline-fails", time.monotonic() - started, [])
    copy = copy_repo(work / f"mutant-{MUTATIONS.index(mutation)}")
    apply(copy, mutation)
    code, failed = run_tests(copy, mutation.tests)
    verdict = "survived" if code == 0 else "caught"
    return Outcome(mutation, verdict, time.monotonic() - started, failed)


def terraform_area(path: str) -> str:
    """The module, live stack or root a mutated file belongs to (modules/alb-https, ...)."""
    parts = path.split("/")
    if parts[0] == "modules":
        return "/".join(parts[:2])
    if parts[:2] == ["live", "_stacks"]:
        return "/".join(parts[:3])
    return parts[0]


def score(caught: int, total: int) -> str:
    return f"{100.0 * caught / total:.1f} %" if total else "n/a"


def terraform_report(outcomes: list[Outcome]) -> str:
    caught = sum(o.verdict == "caught" for o in outcomes)
    areas: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        areas.setdefault(terraform_area(outcome.mutation.path), []).append(outcome)
    lines = [
        "## Terraform modules and live roots",
        "",
        "Generated by `tools/mutation/run.py --terraform` on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC: each defect is applied to a",
        "temporary copy of the repository and the listed fast tests run against it.",
        "The list (tools/mutation/mutations.py) is hand-written: a high score says these",
        "defects are caught, not that every defect would be.",
        "",
        f"**{caught} of {len(outcomes)} mutations caught: {score(caught, len(outcomes))}** "
        f"(target {TARGET_SCORE:.0f} % per area).",
        "",
        "| Area | Mutations | Caught | Survived | Baseline fails | Score |",
        "|---|---|---|---|---|---|",
    ]
    for area, found in sorted(areas.items()):
        count = {v: sum(o.verdict == v for o in found) for v in ("caught", "survived")}
        baseline = len(found) - count["caught"] - count["survived"]
        lines.append(
            f"| `{area}` | {len(found)} | {count['caught']} | {count['survived']} | {baseline} "
            f"| {score(count['caught'], len(found))} |"
        )
    lines += [
        "",
        "| Mutation | File | Tests | Verdict | First failing test | Seconds |",
        "|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        first = f"`{o.failed[0]}`" if o.failed else ""
        tests = " ".join(o.mutation.tests)
        lines.append(
            f"| {o.mutation.name} | `{o.mutation.path}` | `{tests}` | {o.verdict} | {first} "
            f"| {o.seconds:.0f} |"
        )
    return "\n".join(lines) + "\n"


# --- Python: mutmut ---------------------------------------------------------------------


@dataclass
class Survivor:
    name: str
    status: str  # survived, no tests, suspicious, not checked
    where: str  # file:line
    removed: str
    added: str
    reason: str = ""  # set when reviewed as equivalent


@dataclass
class Area:
    path: str
    counts: dict[str, int] = field(default_factory=dict)
    survivors: list[Survivor] = field(default_factory=list)
    equivalent: list[Survivor] = field(default_factory=list)
    files: list[Area] = field(default_factory=list)  # the same counts per source file

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def checked(self) -> int:
        return self.total - self.count("not checked")

    @property
    def score(self) -> float | None:
        scored = self.checked - len(self.equivalent)
        detected = self.count("killed") + self.count("timeout")
        return 100.0 * detected / scored if scored else None


def mutmut_config() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["mutmut"]


def mutated_areas() -> list[str]:
    """The folders of [tool.mutmut] only_mutate ("lmsops/deploy/*" -> "lmsops/deploy")."""
    return [pattern.rstrip("*").rstrip("/") for pattern in mutmut_config()["only_mutate"]]


def status_of(exit_code: int | None) -> str:
    if exit_code is None:
        return "not checked"
    for status, codes in (
        ("killed", KILLED_CODES),
        ("timeout", TIMEOUT_CODES),
        ("survived", SURVIVED_CODES),
        ("no tests", NO_TESTS_CODES),
    ):
        if exit_code in codes:
            return status
    return "suspicious"


def run_mutmut(max_children: int, names: list[str]) -> int:
    mutmut = Path(sys.executable).with_name("mutmut")
    command = [str(mutmut if mutmut.exists() else "mutmut"), "run", "--max-children"]
    started = time.monotonic()
    code = subprocess.run([*command, str(max_children), *names], cwd=REPO, check=False).returncode
    print(f"mutmut run: exit {code} after {time.monotonic() - started:.0f} s", flush=True)
    return code


def mutant_diff(name: str, source: Path) -> tuple[int, str, str]:
    """The line of SOURCE a mutant changes, and that line before and after (first change)."""
    relative = source.relative_to(REPO)
    diff = get_diff_for_mutant(name, path=relative).splitlines()[2:]
    removed = [line[1:] for line in diff if line.startswith("-")]
    added = [line[1:] for line in diff if line.startswith("+")]
    function, cls = orig_function_and_class_names_from_key(name)
    lines = source.read_text().splitlines()
    start = 0
    for marker in ([f"class {cls}"] if cls else []) + [f"def {function}("]:
        start = next((i for i in range(start, len(lines)) if marker in lines[i]), start)
    line = start
    if removed:
        first = removed[0].strip()
        line = next((i for i in range(start, len(lines)) if lines[i].strip() == first), start)
    return line + 1, " / ".join(s.strip() for s in removed), " / ".join(s.strip() for s in added)


def load_equivalent() -> dict[str, dict]:
    if not EQUIVALENT.exists():
        return {}
    return tomllib.loads(EQUIVALENT.read_text()).get("mutant", {})


def collect_areas() -> tuple[list[Area], list[str]]:
    """Per-area counts from mutmut's mutants/*.meta, survivors with their diff line."""
    equivalent = load_equivalent()
    stale: list[str] = []
    areas = []
    cwd = os.getcwd()
    os.chdir(REPO)  # mutmut reads pyproject.toml and mutants/ from the working directory
    try:
        for path in mutated_areas():
            area = Area(path)
            single = MUTANTS / f"{path}.meta"  # an area may be one file
            metas = [single] if single.exists() else sorted((MUTANTS / path).rglob("*.py.meta"))
            for meta in metas:
                source = REPO / meta.relative_to(MUTANTS).with_suffix("")
                codes = json.loads(meta.read_text())["exit_code_by_key"]
                if not codes:
                    continue
                one = Area(str(source.relative_to(REPO)))
                area.files.append(one)
                for name, code in sorted(codes.items(), key=lambda kv: natural(kv[0])):
                    status = status_of(code)
                    for counted in (area, one):
                        counted.counts[status] = counted.counts.get(status, 0) + 1
                    if status in ("killed", "timeout", "not checked"):
                        continue
                    line, removed, added = mutant_diff(name, source)
                    where = f"{source.relative_to(REPO)}:{line}"
                    survivor = Survivor(name, status, where, removed, added)
                    reviewed = equivalent.get(name)
                    if reviewed and reviewed.get("mutation") == added:
                        survivor.reason = reviewed["reason"]
                        area.equivalent.append(survivor)
                        one.equivalent.append(survivor)
                    else:
                        if reviewed:
                            stale.append(name)
                        area.survivors.append(survivor)
                        one.survivors.append(survivor)
            areas.append(area)
    finally:
        os.chdir(cwd)
    return areas, stale


def natural(name: str) -> tuple[str, int]:
    stem, _, number = name.rpartition("__mutmut_")
    return stem, int(number) if number.isdigit() else 0


def code(text: str) -> str:
    text = text.replace("|", "\\|")
    return f"`{text}`" if text else "(line removed)"


def table_row(area: Area) -> str:
    score = "n/a" if area.score is None else f"{area.score:.1f} %"
    survived = area.count("survived") - sum(s.status == "survived" for s in area.equivalent)
    no_tests = area.count("no tests") - sum(s.status == "no tests" for s in area.equivalent)
    return (
        f"| `{area.path}` | {area.total} | {area.count('killed')} | {area.count('timeout')} "
        f"| {survived} | {no_tests} | {area.count('suspicious')} "
        f"| {len(area.equivalent)} | {area.count('not checked')} | {score} |"
    )


def python_report(areas: list[Area], stale: list[str]) -> str:
    lines = [
        "## Python (mutmut)",
        "",
        "Generated by `tools/mutation/run.py --python` on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC from mutmut's results in mutants/.",
        "Score = (killed + timeout) / (checked - equivalent); a mutant no test covers",
        f'("no tests") counts as undetected. Target: {TARGET_SCORE:.0f} % per area.',
        "",
        "| Area | Mutants | Killed | Timeout | Survived | No tests | Suspicious | Equivalent "
        "| Not checked | Score |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [table_row(area) for area in areas]
    for path, why in PENDING.items():
        lines.append(f"| `{path}` | | | | | | | | | {why} |")
    lines += [
        "",
        "Per file (where the survivors are, and how much of each file has been checked):",
        "",
        "| File | Mutants | Killed | Timeout | Survived | No tests | Suspicious | Equivalent "
        "| Not checked | Score |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [table_row(one) for area in areas for one in area.files]
    if stale:
        lines += [
            "",
            "Reviewed as equivalent, but the mutant now differs (renumbered or changed "
            "code), so it counts as a survivor again until reviewed anew: "
            + ", ".join(f"`{name}`" for name in stale),
        ]
    for area in areas:
        if area.survivors:
            lines += [
                "",
                f"### Survivors in `{area.path}` ({len(area.survivors)})",
                "",
                "| Mutant | Where | Status | Original | Mutant |",
                "|---|---|---|---|---|",
            ]
            lines += [
                f"| `{s.name.rpartition('.')[2]}` | `{s.where}` | {s.status} | {code(s.removed)} "
                f"| {code(s.added)} |"
                for s in area.survivors
            ]
    for area in areas:
        if area.equivalent:
            lines += [
                "",
                f"### Equivalent mutants in `{area.path}` ({len(area.equivalent)}, reviewed in "
                "tools/mutation/equivalent.toml)",
                "",
                "| Mutant | Where | Mutant | Why it cannot change behaviour |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| `{s.name.rpartition('.')[2]}` | `{s.where}` | {code(s.added)} | {s.reason} |"
                for s in area.equivalent
            ]
    return "\n".join(lines) + "\n"


# --- the report: one section per part, the rest of docs/mutation.md kept as written ------


def write_section(name: str, body: str) -> None:
    start, end = f"<!-- {name}: generated, do not edit -->", f"<!-- /{name} -->"
    text = REPORT.read_text() if REPORT.exists() else "# Mutation report\n"
    block = f"{start}\n{body}{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    REPORT.write_text(text)


def terraform_part(only: str | None, write: bool) -> bool:
    chosen = [m for m in MUTATIONS if not only or only in m.name]
    outcomes = []
    baseline: dict = {}
    with tempfile.TemporaryDirectory(prefix="lms-mutation-") as tmp:
        for index, mutation in enumerate(chosen, 1):
            print(f"[{index}/{len(chosen)}] {mutation.name} ...", flush=True)
            outcome = check_mutation(mutation, Path(tmp), baseline)
            print(f"    {outcome.verdict} ({outcome.seconds:.0f} s)", flush=True)
            outcomes.append(outcome)
    if write:
        write_section("terraform", terraform_report(outcomes))
    return all(o.verdict == "caught" for o in outcomes)


def undetected(pattern: str) -> list[str]:
    """Names of the mutants matching PATTERN that no test detected in their last check."""
    names = []
    for path in mutated_areas():
        for meta in sorted((MUTANTS / path).rglob("*.py.meta")):
            codes = json.loads(meta.read_text())["exit_code_by_key"]
            names += [
                name
                for name, code in codes.items()
                if fnmatch.fnmatch(name, pattern)
                and status_of(code) not in ("killed", "timeout", "not checked")
            ]
    return sorted(names, key=natural)


def python_part(args: argparse.Namespace, write: bool) -> bool:
    if get_diff_for_mutant is None:
        raise SystemExit("mutmut is not installed: pip install -e '.[mutation]'")
    names = list(args.mutants)
    if args.recheck:
        names += undetected(args.recheck)
        print(f"re-checking {len(names)} undetected mutants matching {args.recheck}")
    # A --recheck with nothing undetected left runs nothing (no names would mean all).
    wanted = not args.report_only and (names or not args.recheck)
    if wanted and run_mutmut(args.max_children, names) != 0:
        return False
    areas, stale = collect_areas()
    for area in areas:
        score = "n/a" if area.score is None else f"{area.score:.1f} %"
        print(f"{area.path}: {area.total} mutants, {len(area.survivors)} undetected, {score}")
    if write:
        write_section("python", python_report(areas, stale))
    return all(area.score is not None and area.score >= TARGET_SCORE for area in areas)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terraform", action="store_true", help="the Terraform part only")
    parser.add_argument("--python", action="store_true", help="the mutmut part only")
    parser.add_argument("-k", dest="only", help="Terraform mutations whose name contains this")
    parser.add_argument(
        "--mutants",
        nargs="+",
        default=[],
        metavar="NAME",
        help="mutmut names or globs to (re)check, e.g. 'lmsops.deploy.render*'",
    )
    parser.add_argument(
        "--recheck",
        metavar="GLOB",
        help="re-check only the undetected mutants whose name matches, after adding tests",
    )
    parser.add_argument(
        "--max-children",
        type=int,
        default=1,
        help="mutmut's parallel test runs (default 1: the machine has 2 shared cores)",
    )
    parser.add_argument(
        "--report-only", action="store_true", help="no mutmut run: report what mutants/ holds"
    )
    parser.add_argument("--no-report", action="store_true", help="do not write docs/mutation.md")
    args = parser.parse_args(argv)
    both = not args.terraform and not args.python
    ok = True
    if args.terraform or both:
        ok = terraform_part(args.only, not args.no_report) and ok
    if args.python or both:
        ok = python_part(args, not args.no_report) and ok
    if not args.no_report:
        print(f"wrote {REPORT.relative_to(REPO)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
