"""EC2 gap fills (lmsops.emulator.gaps.ec2), checked with boto3 against the session emulator."""

from __future__ import annotations

import boto3
from emulator_helpers import unique


def test_rule_referencing_a_security_group_keeps_its_description(emulator):
    ec2 = boto3.client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    groups = [
        ec2.create_security_group(GroupName=unique(n), Description=n, VpcId=vpc["VpcId"])["GroupId"]
        for n in ("alb", "svc")
    ]
    alb, svc = groups
    ec2.authorize_security_group_ingress(
        GroupId=svc,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 4000,
                "ToPort": 4000,
                "UserIdGroupPairs": [{"GroupId": alb, "Description": "App port from the ALB"}],
            }
        ],
    )
    rules = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [svc]}])
    ingress = [r for r in rules["SecurityGroupRules"] if not r["IsEgress"]]
    assert [(r["ReferencedGroupInfo"]["GroupId"], r["Description"]) for r in ingress] == [
        (alb, "App port from the ALB")
    ]
