"""The GitHub Actions workflows: triggers, jobs, and that every command they run exists.

`tox -e X` must name an env of tox.ini; `lmsops ...` command lines must parse with the
project's own CLI parser (subcommand, flags, choices). Actions are pinned to commit SHAs,
and AWS access is OIDC role assumption only.
"""

from __future__ import annotations

import configparser
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from lmsops.cli import build_parser

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))
EXPRESSION = re.compile(r"\$\{\{.*?\}\}")
PINNED_USES = re.compile(r"^\s*-?\s*uses:\s*([\w.-]+/[\w./-]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$")


def load(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as the boolean True.
    return workflow.get("on", workflow.get(True)) or {}


def steps(workflow: dict):
    for job_name, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_name, job, step


def run_lines(workflow: dict):
    """Each logical shell line of every `run:` (backslash continuations joined)."""
    for job_name, job, step in steps(workflow):
        script = step.get("run", "").replace("\\\n", " ")
        for line in script.splitlines():
            yield job_name, job, step, line.strip()


def shell_word_values(word: str, job: dict, step: dict) -> list[str]:
    """What a `"$VAR"` word of a run line stands for: the step's or job's env, matrix expanded."""
    name = re.fullmatch(r'"?\$\{?(\w+)\}?"?', word)
    if not name:
        return [word]
    value = {**job.get("env", {}), **step.get("env", {})}[name.group(1)]
    matrix = re.fullmatch(r"\$\{\{ matrix\.(\w+) \}\}", value)
    return list(job["strategy"]["matrix"][matrix.group(1)]) if matrix else [value]


def tox_envs() -> set[str]:
    config = configparser.ConfigParser(interpolation=None)
    config.read(REPO / "tox.ini")
    envs = {s.split(":", 1)[1] for s in config.sections() if s.startswith("testenv:")}
    envs |= {e.strip() for e in config["tox"]["env_list"].split(",")}
    return envs


def test_the_three_workflows_exist():
    assert [p.name for p in WORKFLOW_FILES] == ["frontend.yml", "main.yml", "pull-request.yml"]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_sha_with_its_version(path):
    uses = [line for line in path.read_text().splitlines() if re.match(r"^\s*-?\s*uses:", line)]
    assert uses
    unpinned = [line.strip() for line in uses if not PINNED_USES.match(line)]
    assert unpinned == []


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_aws_access_is_oidc_role_assumption_only(path):
    workflow = yaml.safe_load(path.read_text())
    assert workflow["permissions"] == {"contents": "read"}
    for job_name, job, step in steps(workflow):
        if step.get("uses", "").startswith("aws-actions/configure-aws-credentials@"):
            assert job["permissions"]["id-token"] == "write", job_name
            assert step["with"]["role-to-assume"].startswith("${{ vars."), job_name
            assert "aws-access-key-id" not in step["with"], job_name
    assert "secrets.AWS" not in path.read_text()


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_run_steps_use_bash_with_pipefail(path):
    # Only an explicit `shell: bash` gets -o pipefail; `lmsops deploy ... | tee` relies on it.
    assert yaml.safe_load(path.read_text())["defaults"]["run"]["shell"] == "bash"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_tox_envs_called_exist_in_tox_ini(path):
    workflow = yaml.safe_load(path.read_text())
    called = set()
    for _, job, step, line in run_lines(workflow):
        for word in re.findall(r"\btox -e (\S+)", line):
            called |= set(shell_word_values(word, job, step))
    assert called <= tox_envs()
    if path.name == "pull-request.yml":
        assert called == {"lint", "unit", "policy"}


def lmsops_commands(workflow: dict) -> list[list[str]]:
    commands = []
    for _, _, _, line in run_lines(workflow):
        if line.startswith("lmsops "):
            command = line.split("|", 1)[0]
            commands.append(shlex.split(EXPRESSION.sub("X", command))[1:])
    return commands


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_run_blocks_never_expand_expressions_into_the_shell(path):
    # `${{ matrix.root }}` or a job output pasted into a script is code injection; values
    # reach the shell through `env:` and are read as quoted variables.
    workflow = yaml.safe_load(path.read_text())
    expanded = [
        f"{job_name}: {line}"
        for job_name, _, _, line in run_lines(workflow)
        if EXPRESSION.search(line)
    ]
    assert expanded == []


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_checkouts_do_not_persist_the_token(path):
    checkouts = [
        (job_name, step.get("with", {}))
        for job_name, _, step in steps(yaml.safe_load(path.read_text()))
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts
    assert [job for job, with_ in checkouts if with_.get("persist-credentials") is not False] == []


# The lmsops subcommands each workflow runs, in order (pull requests only run tox tiers).
LMSOPS_SUBCOMMANDS = {
    "frontend.yml": ["publish", "publish"],
    "main.yml": ["deploy", "deploy"],
    "pull-request.yml": [],
}


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_lmsops_command_lines_parse_with_the_cli(path):
    parser = build_parser()
    commands = lmsops_commands(yaml.safe_load(path.read_text()))
    # A line the scan no longer recognises must fail here, not pass by checking nothing.
    assert [argv[0] for argv in commands] == LMSOPS_SUBCOMMANDS[path.name]
    for argv in commands:
        args = parser.parse_args(argv)  # SystemExit (test error) on unknown command/flag
        assert callable(args.func)


def test_pull_requests_run_lint_unit_policy_and_plan_changed_roots():
    workflow = load("pull-request.yml")
    assert set(triggers(workflow)) == {"pull_request"}
    jobs = workflow["jobs"]
    assert jobs["tiers"]["strategy"]["matrix"]["tier"] == ["lint", "unit", "policy"]
    plan = jobs["plan"]
    assert plan["needs"] == "changed-roots"
    assert (
        plan["strategy"]["matrix"]["root"] == "${{ fromJSON(needs.changed-roots.outputs.roots) }}"
    )
    runs = " ".join(step.get("run", "") for step in plan["steps"])
    assert "plan -input=false" in runs
    assert "-out=tfplan" in runs
    uploads = [s for s in plan["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert "tfplan" in uploads[0]["with"]["path"]


def test_main_builds_pushes_deploys_dev_then_prod_behind_approval():
    workflow = load("main.yml")
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert "backend_context" in on["workflow_dispatch"]["inputs"]
    jobs = workflow["jobs"]
    build_runs = " ".join(s.get("run", "") for s in jobs["build"]["steps"])
    assert 'image="$repository:$GITHUB_SHA"' in build_runs
    assert 'docker push "$image"' in build_runs
    assert any(
        s.get("uses", "").startswith("aws-actions/amazon-ecr-login@")
        for s in jobs["build"]["steps"]
    )
    assert jobs["deploy-dev"]["needs"] == "build"
    assert jobs["deploy-dev"]["environment"] == "development"
    assert "deploy-dev" in jobs["deploy-prod"]["needs"]
    assert jobs["deploy-prod"]["environment"] == "production"
    deploys = {tuple(argv[:3]) for argv in lmsops_commands(workflow)}
    assert deploys == {("deploy", "--env", "dev"), ("deploy", "--env", "prod")}


def test_frontend_publishes_dev_then_prod_behind_approval():
    workflow = load("frontend.yml")
    on = triggers(workflow)
    assert "site/**" in on["push"]["paths"]
    jobs = workflow["jobs"]
    assert jobs["publish-prod"]["needs"] == "publish-dev"
    assert jobs["publish-prod"]["environment"] == "production"
    published = sorted(argv[:4] for argv in lmsops_commands(workflow))
    assert published == [
        ["publish", "--env", "dev", "./site"],
        ["publish", "--env", "prod", "./site"],
    ]


def changed_roots_script() -> str:
    step = next(
        s
        for s in load("pull-request.yml")["jobs"]["changed-roots"]["steps"]
        if s.get("id") == "select"
    )
    body = step["run"].split("<<'PY'", 1)[1].split("\n", 1)[1].rsplit("\nPY\n", 1)[0]
    return textwrap.dedent(body)


@pytest.fixture
def small_repo(tmp_path) -> Path:
    files = {
        "modules/base/main.tf": "",
        "modules/svc/main.tf": 'module "b" {\n  source = "../base"\n}\n',
        "modules/site/main.tf": "",
        "live/dev/backend/backend.tf": "",
        "live/dev/backend/main.tf": 'module "s" {\n  source = "../../../modules/svc"\n}\n',
        "live/dev/frontend/backend.tf": "",
        "live/dev/frontend/main.tf": 'module "w" {\n  source = "../../../modules/site"\n}\n',
        "live/_stacks/backend/outputs.tf": "",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "live/dev/backend/outputs.tf").symlink_to("../../_stacks/backend/outputs.tf")
    (tmp_path / "select.py").write_text(changed_roots_script())
    return tmp_path


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        (["modules/base/variables.tf"], ["live/dev/backend"]),  # through modules/svc
        (["live/dev/frontend/terraform.tfvars"], ["live/dev/frontend"]),
        (
            ["modules/site/main.tf", "modules/svc/main.tf"],
            ["live/dev/backend", "live/dev/frontend"],
        ),
        (["live/_stacks/backend/outputs.tf"], ["live/dev/backend"]),  # symlinked stack code
        (["README.md", "lmsops/cli.py"], []),
    ],
)
def test_plan_selects_roots_whose_files_or_modules_changed(small_repo, changed, expected):
    (small_repo / "changed.txt").write_text("\n".join(changed) + "\n")
    out = subprocess.run(
        [sys.executable, "select.py", "changed.txt"],
        cwd=small_repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "roots=" + str(expected).replace("'", '"')
