"""`lmsops deploy --env dev` against an applied live/dev/backend on the emulator.

One apply for the whole file (tests run in file order on it; the last one destroys):
pre-flight refuses an image that was never pushed (nothing registered); `--keep 1` leaves
the revision Terraform manages and `terraform plan` stays empty; a deployment whose image
cannot be pulled fails, ECS's circuit breaker rolls it back, the deploy prints why
(CannotPullContainerError) and exits non-zero, and the next deploy does not start from
the failed revision (its `--env-var` does not ship).

The emulator fails tasks whose image is missing from its ECR
(lmsops.emulator.gaps.ecs_task_failures: fail_ecs_deployments_whose_tasks_cannot_start).
To get past pre-flight, the failing test deletes the image right after pre-flight
found it (as a lifecycle policy or a hand deleting it between check and pull would).
"""

from __future__ import annotations

import hashlib
import json

import boto3
import pytest

from lmsops import cli, environment, roots
from lmsops.deploy import cli as deploy_cli
from lmsops.deploy import ecs as deploy_ecs
from lmsops.deploy import render, revisions

NAME = "lms-dev-backend"


@pytest.fixture(scope="module")
def backend(bootstrapped, tmp_path_factory):
    """live/dev/backend applied on a fresh copy of the repo; (root, outputs, work dir)."""
    work = tmp_path_factory.mktemp("deploy-backend-work")
    repo = roots.copy_repo(work / "repo")
    root = environment.live_root(repo, "dev", "backend", work)
    try:
        outputs = environment.apply_live(root, bootstrapped.backend_config)
        yield root, outputs, work
    finally:
        root.destroy()


@pytest.fixture(scope="module")
def aws(emulator):
    session = boto3.session.Session()  # reads the emulator environment now
    return {name: session.client(name) for name in ("ecs", "ecr")}


def push(aws, outputs: dict, tag: str) -> str:
    """Put an image with TAG into the service's ECR repository; its URI."""
    repository = outputs["ecr_repository_url"].split("/", 1)[1]
    layer = hashlib.sha256(tag.encode()).hexdigest()
    aws["ecr"].put_image(
        repositoryName=repository,
        imageTag=tag,
        imageManifest=json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                "config": {"digest": "sha256:" + layer, "size": 100},
                "layers": [{"digest": "sha256:" + layer[::-1], "size": 1000}],
            }
        ),
    )
    return f"{outputs['ecr_repository_url']}:{tag}"


def deploy(capsys, backend, image: str, *extra: str) -> tuple[int, dict, str]:
    root, _, work = backend
    capsys.readouterr()
    code = cli.main(
        [
            "deploy",
            "--env",
            "dev",
            "--repo",
            str(root.path.parents[2]),
            "--tf-data-dir",
            str(work / "tfdata" / "dev" / "backend"),
            "--image",
            image,
            "--poll-interval",
            "0.2",
            "--timeout",
            "30",
            "--output",
            "json",
            *extra,
        ]
    )
    captured = capsys.readouterr()
    return code, (json.loads(captured.out) if captured.out.strip() else {}), captured.err


def active(aws) -> list[str]:
    return deploy_ecs.active_revisions(aws["ecs"], NAME)


def running(aws) -> str:
    return aws["ecs"].describe_services(cluster=NAME, services=[NAME])["services"][0][
        "taskDefinition"
    ]


def terraform_revision(root) -> str:
    state = json.loads(root.tf("show", "-json").stdout)
    return next(
        r["values"]["arn"]
        for module in state["values"]["root_module"]["child_modules"]
        for r in module.get("resources", [])
        if r["type"] == "aws_ecs_task_definition"
    )


def empty_plan(root) -> tuple[bool, str]:
    proc = root.plan(detailed_exitcode=True)
    return proc.returncode == 0, proc.stdout + proc.stderr


def environment_of(aws, arn: str) -> dict[str, str]:
    container = aws["ecs"].describe_task_definition(taskDefinition=arn)["taskDefinition"][
        "containerDefinitions"
    ][0]
    return {e["name"]: e["value"] for e in container.get("environment", [])}


def test_an_image_never_pushed_is_refused_before_anything_is_registered(backend, aws, capsys):
    _, outputs, _ = backend
    before, service_before = active(aws), running(aws)

    code, _, err = deploy(capsys, backend, f"{outputs['ecr_repository_url']}:never-pushed")

    assert code == 2
    assert "preflight found 1 problem(s); nothing was registered or changed" in err
    assert "never-pushed" in err
    assert (active(aws), running(aws)) == (before, service_before)


def test_keep_1_spares_terraforms_revision_and_the_plan_stays_empty(backend, aws, capsys):
    root, outputs, _ = backend
    managed = terraform_revision(root)

    first_code, first, _ = deploy(capsys, backend, push(aws, outputs, "good-1"))
    second_code, second, _ = deploy(capsys, backend, push(aws, outputs, "good-2"), "--keep", "1")

    assert (first_code, first["outcome"]) == (0, "succeeded"), first
    assert (second_code, second["outcome"]) == (0, "succeeded"), second
    assert second["previous_task_definition"] == first["new_task_definition"]
    # On main, --keep 1 deregistered `managed` and the next plan wanted to register it again.
    assert managed not in second["deregistered"]
    assert set(active(aws)) == {
        managed,
        first["new_task_definition"],
        second["new_task_definition"],
    }
    assert running(aws) == second["new_task_definition"]
    empty, output = empty_plan(root)
    assert empty, output


def test_a_failed_deployment_rolls_back_says_why_and_is_never_built_on(
    backend, aws, capsys, monkeypatch
):
    root, outputs, _ = backend
    last_good = running(aws)
    image = push(aws, outputs, "vanishes")
    repository = outputs["ecr_repository_url"].split("/", 1)[1]
    real_preflight = deploy_cli.make_preflight

    def preflight_then_image_deleted(image_ref, allow):
        check = real_preflight(image_ref, allow)

        def run(*arguments):
            check(*arguments)
            aws["ecr"].batch_delete_image(
                repositoryName=repository, imageIds=[{"imageTag": "vanishes"}]
            )

        return run

    monkeypatch.setattr(deploy_cli, "make_preflight", preflight_then_image_deleted)

    code, result, err = deploy(capsys, backend, image, "--env-var", "FEATURE_X=on")

    assert (code, result["outcome"]) == (1, "rolled-back"), result
    assert "circuit breaker" in result["reason"]
    assert any("CannotPullContainerError" in line for line in result["diagnostics"]), result
    assert "CannotPullContainerError" in err  # shown while it happens, not only in the JSON
    failed = result["new_task_definition"]
    assert running(aws) == last_good
    tags = {
        t["key"]: t["value"] for t in aws["ecs"].list_tags_for_resource(resourceArn=failed)["tags"]
    }
    assert tags[revisions.STATUS] == revisions.ROLLED_BACK
    assert environment_of(aws, failed)["FEATURE_X"] == "on"

    monkeypatch.undo()
    code, after, _ = deploy(capsys, backend, push(aws, outputs, "good-3"))

    assert (code, after["outcome"]) == (0, "succeeded"), after
    assert after["source_task_definition"] == last_good
    assert "FEATURE_X" not in environment_of(aws, after["new_task_definition"])
    empty, output = empty_plan(root)
    assert empty, output


def test_register_form_of_the_new_revision_keeps_terraforms_settings(backend, aws):
    """The running revision differs from Terraform's only in image and lmsops's tags."""
    root, _, _ = backend
    client = aws["ecs"]
    fields = deploy_ecs.register_fields(client)

    def form(arn: str) -> dict:
        described, tags = deploy_ecs.describe_task_definition(client, arn)
        kept = [t for t in tags if t["key"] not in revisions.LMSOPS_KEYS]
        return render.register_input(described, kept, fields)

    managed, deployed = form(terraform_revision(root)), form(running(aws))
    deployed["containerDefinitions"][0]["image"] = managed["containerDefinitions"][0]["image"]
    assert deployed == managed
