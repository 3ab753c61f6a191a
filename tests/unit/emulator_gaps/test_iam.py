"""IAM gap fills (lmsops.emulator.gaps.iam), checked with boto3 against the session emulator."""

from __future__ import annotations

import json

import boto3
from emulator_helpers import unique

EXECUTION_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"


def test_aws_managed_iam_policy_exists_and_attaches(emulator):
    iam = boto3.client("iam")
    policy = iam.get_policy(PolicyArn=EXECUTION_POLICY)["Policy"]
    assert policy["PolicyName"] == "AmazonECSTaskExecutionRolePolicy"

    role = unique("exec")
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName=role, PolicyArn=EXECUTION_POLICY)
    attached = iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [EXECUTION_POLICY]
