"""live/prod/backend on the emulator: WAF, access logs, alarms; re-plan empty; destroy.

Prod turns on what dev leaves off (the WAF web ACL and the access logs bucket with its
lifecycle), so it gets one apply of its own; it runs on its own pytest-xdist worker. Prod
is applied with its own settings (the root refuses deletion_protection = false in prod); to
destroy what it created the test first turns the load balancer's deletion protection off
through the API, as an operator retiring prod would, then runs terraform destroy.
"""

from __future__ import annotations

import boto3
import pytest

from lmsops import environment, roots
from lmsops.smoke import check_backend

NAME = "lms-prod-backend"


@pytest.fixture(scope="module")
def prod_backend(bootstrapped, tmp_path_factory, destroy_leftovers):
    """live/prod/backend applied on a fresh copy of the repo; (root, outputs)."""
    work = tmp_path_factory.mktemp("prod-backend-work")
    repo = roots.copy_repo(work / "repo")
    root = environment.live_root(repo, "prod", "backend", work)
    try:
        yield root, environment.apply_live(root, bootstrapped.backend_config)
    finally:
        destroy_leftovers(root, lambda: retire(root))


def retire(root: roots.Root) -> None:
    """Turn the load balancer's deletion protection off by hand, then destroy."""
    elbv2 = boto3.client("elbv2")
    for lb in elbv2.describe_load_balancers()["LoadBalancers"]:
        if lb["LoadBalancerName"] == NAME:
            elbv2.modify_load_balancer_attributes(
                LoadBalancerArn=lb["LoadBalancerArn"],
                Attributes=[{"Key": "deletion_protection.enabled", "Value": "false"}],
            )
    root.destroy()


@pytest.fixture(scope="module")
def aws(emulator):
    session = boto3.session.Session()
    return {name: session.client(name) for name in ("elbv2", "s3", "wafv2", "cloudwatch")}


def test_prod_outputs_name_the_waf_and_the_log_bucket(prod_backend):
    _, outputs = prod_backend
    assert outputs["web_acl_arn"].split("/")[-2] == NAME
    assert outputs["access_logs_bucket"].startswith(f"{NAME}-alb-logs-")
    assert outputs["execute_command_enabled"] is False
    assert len(outputs["deployment_alarm_names"]) == 3


def test_prod_smoke_checks_pass(prod_backend):
    checks = check_backend(prod_backend[1])
    failed = [f"{c.name}: {c.detail}" for c in checks if not c.ok]
    assert len(checks) == 21
    assert not failed, "\n".join(failed)


def test_access_log_bucket_is_private_encrypted_and_expires_logs(prod_backend, aws):
    bucket = prod_backend[1]["access_logs_bucket"]
    s3 = aws["s3"]
    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    assert all(block.values()) and len(block) == 4
    (rule,) = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    (lifecycle,) = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert lifecycle["Expiration"]["Days"] == 90


def test_prod_second_plan_is_empty(prod_backend):
    proc = prod_backend[0].plan(detailed_exitcode=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_prod_load_balancer_is_protected_from_deletion(prod_backend, aws):
    (lb,) = [
        lb
        for lb in aws["elbv2"].describe_load_balancers()["LoadBalancers"]
        if lb["LoadBalancerName"] == NAME
    ]
    attributes = aws["elbv2"].describe_load_balancer_attributes(
        LoadBalancerArn=lb["LoadBalancerArn"]
    )
    settings = {a["Key"]: a["Value"] for a in attributes["Attributes"]}
    assert settings["deletion_protection.enabled"] == "true"


def test_prod_destroy_leaves_nothing_behind(prod_backend, aws):
    root, outputs = prod_backend
    retire(root)
    lbs = aws["elbv2"].describe_load_balancers()["LoadBalancers"]
    assert [lb for lb in lbs if lb["LoadBalancerName"] == NAME] == []
    acls = aws["wafv2"].list_web_acls(Scope="REGIONAL")["WebACLs"]
    assert [acl for acl in acls if acl["Name"] == NAME] == []
    buckets = [b["Name"] for b in aws["s3"].list_buckets()["Buckets"]]
    assert outputs["access_logs_bucket"] not in buckets
    alarms = aws["cloudwatch"].describe_alarms(AlarmNamePrefix=f"{NAME}-")["MetricAlarms"]
    assert alarms == []
    dashboards = aws["cloudwatch"].list_dashboards(DashboardNamePrefix=NAME)["DashboardEntries"]
    assert dashboards == []
