"""zizmor, offline, on the GitHub Actions workflows: no finding of any severity.

zizmor audits what a workflow lets an attacker do: a token left in `.git/config` for a later
step or artifact to leak (artipacked), an expression pasted into a shell script (template
injection), unpinned actions, broad permissions. Inline `# zizmor: ignore[...]` comments are
honoured (they sit next to the code, with their reason); configuration files are not.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from lmsops import toolchain

REPO = toolchain.REPO_ROOT
ZIZMOR = Path(sys.executable).parent / "zizmor"
WORKFLOWS = REPO / ".github" / "workflows"
COMPLETED = re.compile(r"completed (\S+\.ya?ml)")


def zizmor(*inputs: Path, cwd: Path) -> tuple[list[dict], str]:
    """(findings, log) of `zizmor --offline --format json` on INPUTS."""
    proc = subprocess.run(
        [str(ZIZMOR), "--offline", "--no-config", "--format", "json", "--no-progress"]
        + [str(path.relative_to(cwd)) for path in inputs],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        findings = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"zizmor failed (exit {proc.returncode}):\n{proc.stderr}") from None
    return findings, proc.stderr


def describe(finding: dict) -> str:
    """`path:line: severity ident: description (what is wrong there)`, one line."""
    [primary] = [loc for loc in finding["locations"] if loc["symbolic"]["kind"] == "Primary"]
    path = primary["symbolic"]["key"]["Local"]["verbatim_path"]
    line = primary["concrete"]["location"]["start_point"]["row"] + 1
    severity = finding["determinations"]["severity"].lower()
    annotation = primary["symbolic"]["annotation"]
    return f"{path}:{line}: {severity} {finding['ident']}: {finding['desc']} ({annotation})"


def test_workflows_have_no_zizmor_findings():
    findings, log = zizmor(WORKFLOWS, cwd=REPO)
    audited = {Path(name).name for name in COMPLETED.findall(log)}
    assert audited == {path.name for path in WORKFLOWS.glob("*.yml")}, log
    described = "\n".join(describe(finding) for finding in findings)
    assert findings == [], (
        f"{len(findings)} zizmor finding(s); see `zizmor --offline .github/workflows`:\n{described}"
    )


UNSAFE_WORKFLOW = """\
name: unsafe
on: pull_request
permissions:
  contents: read
jobs:
  select:
    runs-on: ubuntu-24.04
    outputs:
      roots: ${{ steps.roots.outputs.roots }}
    steps:
      - id: roots
        run: echo 'roots=["live/dev/backend"]' >> "$GITHUB_OUTPUT"
  plan:
    needs: select
    runs-on: ubuntu-24.04
    strategy:
      matrix:
        root: ${{ fromJSON(needs.select.outputs.roots) }}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - run: terraform -chdir="${{ matrix.root }}" plan
"""


def test_zizmor_reports_a_persisted_token_and_an_expression_in_a_script(tmp_path):
    # The audit above passes only because the workflows are clean, not because zizmor
    # looked at nothing: the same call names both defects the workflows once had.
    workflow = tmp_path / ".github" / "workflows" / "unsafe.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(UNSAFE_WORKFLOW)
    findings, _ = zizmor(workflow, cwd=tmp_path)
    described = [describe(finding) for finding in findings]
    assert sorted(finding["ident"] for finding in findings) == [
        "artipacked",
        "template-injection",
    ], described
    assert any(".github/workflows/unsafe.yml:21: medium template-injection" in d for d in described)
