"""Textual mutations of modules/ and live/: each one a defect the fast tests should catch.

A mutation replaces OLD (which must occur exactly once in PATH) with NEW in a temporary
copy of the repository, then runs TESTS there. A failing run means the defect was caught.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mutation:
    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]  # pytest arguments: files, node ids or `-k` selections


MUTATIONS: tuple[Mutation, ...] = (
    Mutation(
        "lock table loses prevent_destroy",
        "modules/remote-state/lock_table.tf",
        "prevent_destroy = true",
        "prevent_destroy = false",
        ("tests/unit/test_state_protection_static.py",),
    ),
    Mutation(
        "state bucket versioning suspended",
        "modules/remote-state/state_bucket.tf",
        'versioning_configuration {\n    status = "Enabled"',
        'versioning_configuration {\n    status = "Suspended"',
        ("tests/unit/test_remote_state_plan.py",),
    ),
    Mutation(
        "target group on port 8080 in the backend stack",
        "live/_stacks/backend/main.tf",
        "target_port               = var.container_port",
        "target_port               = 8080",
        ("tests/unit/test_live_wiring_plan.py", "-k", "dev"),
    ),
    Mutation(
        "HTTPS listener serves the unvalidated certificate",
        "modules/alb-https/main.tf",
        "certificate_arn   = module.certificate.validated_arn",
        "certificate_arn   = module.certificate.arn",
        ("tests/unit/test_alb_https_plan.py",),
    ),
    Mutation(
        "CloudFront serves the unvalidated certificate",
        "modules/s3-website/cloudfront.tf",
        "acm_certificate_arn      = one(module.certificate[*].validated_arn)",
        "acm_certificate_arn      = one(module.certificate[*].arn)",
        ("tests/unit/test_s3_website_plan.py",),
    ),
    Mutation(
        "certificate validation records stop overwriting",
        "modules/acm-certificate/main.tf",
        "allow_overwrite = true",
        "allow_overwrite = false",
        ("tests/unit/test_acm_certificate_plan.py",),
    ),
    Mutation(
        "cluster without Container Insights",
        "modules/ecs-cluster/variables.tf",
        'default     = "enabled"',
        'default     = "disabled"',
        ("tests/unit/test_ecs_cluster_plan.py",),
    ),
    Mutation(
        "certificate key algorithm defaults to RSA 1024",
        "modules/acm-certificate/variables.tf",
        'default     = "RSA_2048"',
        'default     = "RSA_1024"',
        ("tests/unit/test_acm_certificate_plan.py",),
    ),
    Mutation(
        "service ingress on 443 instead of the container port",
        "modules/ecs-service/service.tf",
        "from_port                    = var.container_port",
        "from_port                    = 443",
        ("tests/unit/test_ecs_service_plan.py",),
    ),
    Mutation(
        "request-count label with its two halves swapped",
        "modules/autoscaling/main.tf",
        'resource_label = "${var.load_balancer_arn_suffix}/${var.target_group_arn_suffix}"',
        'resource_label = "${var.target_group_arn_suffix}/${var.load_balancer_arn_suffix}"',
        ("tests/unit/test_autoscaling_plan.py",),
    ),
    Mutation(
        "site bucket not named after the domain",
        "modules/s3-website/main.tf",
        "bucket        = var.domain_name",
        'bucket        = "${var.domain_name}-site"',
        ("tests/unit/test_s3_website_plan.py",),
    ),
    Mutation(
        "lock table loses point-in-time recovery",
        "modules/remote-state/lock_table.tf",
        "point_in_time_recovery {\n    enabled = true",
        "point_in_time_recovery {\n    enabled = false",
        ("tests/unit/test_remote_state_plan.py",),
    ),
    Mutation(
        "circuit breaker no longer rolls back",
        "modules/ecs-service/service.tf",
        "deployment_circuit_breaker {\n    enable   = true\n    rollback = true",
        "deployment_circuit_breaker {\n    enable   = true\n    rollback = false",
        ("tests/unit/test_ecs_service_plan.py",),
    ),
    Mutation(
        "deployment alarms stop rolling back",
        "modules/ecs-service/service.tf",
        "      enable      = true\n      rollback    = true",
        "      enable      = true\n      rollback    = false",
        ("tests/unit/test_ecs_service_alarms_exec_plan.py",),
    ),
    Mutation(
        "load balancer keeps invalid header fields",
        "modules/alb-https/main.tf",
        "drop_invalid_header_fields = true",
        "drop_invalid_header_fields = false",
        ("tests/unit/test_alb_https_plan.py",),
    ),
    Mutation(
        "service tasks no longer propagate the service's tags",
        "modules/ecs-service/service.tf",
        'propagate_tags                     = "SERVICE"',
        'propagate_tags                     = "NONE"',
        ("tests/unit/test_ecs_service_plan.py",),
    ),
)
