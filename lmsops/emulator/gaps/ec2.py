"""EC2 in the emulator: security-group rules keep their descriptions."""

from __future__ import annotations

from typing import Any

from moto.ec2.models.security_groups import SecurityGroupRule


def keep_descriptions_of_security_group_reference_rules() -> None:
    """Gap: EC2 drops the Description of rules that reference another security group.

    AWS: DescribeSecurityGroupRules returns the rule's Description for CIDR, prefix-list and
    referenced-group rules alike. moto reads it only from the CIDR range, so
    `aws_vpc_security_group_ingress_rule` with `referenced_security_group_id` plans
    `+ description` on every run. The description now also comes from the group pair.
    """

    def description(self: Any) -> str | None:
        return self.ip_range.get("Description") or (self.source_group or {}).get("Description")

    SecurityGroupRule.description = property(description)
