"""Textual mutations of modules/ and live/: each one a defect the fast tests should catch.

A mutation replaces OLD (which must occur exactly once in PATH) with NEW in a temporary
copy of the repository, then runs TESTS there. A failing run means the defect was caught.

A defect must still be valid Terraform (`condition = true`, for one, is refused at init)
and TESTS the narrowest fast tests meant to catch it: the report's "first failing test"
shows whether it was caught for the intended reason. A change that cannot alter what the
code does (an equivalent mutation) does not belong here.
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
    # --- remote-state: the state bucket stays private and TLS-only -------------------------
    Mutation(
        "state bucket public access block lets public policies in",
        "modules/remote-state/state_bucket.tf",
        "block_public_policy     = true",
        "block_public_policy     = false",
        ("tests/unit/test_remote_state_plan.py",),
    ),
    Mutation(
        "state bucket policy no longer denies insecure transport",
        "modules/remote-state/state_bucket.tf",
        'values   = ["false"]',
        'values   = ["true"]',
        ("tests/unit/test_remote_state_plan.py",),
    ),
    # --- bootstrap ---------------------------------------------------------------------------
    Mutation(
        "bootstrap drops the state KMS key",
        "bootstrap/main.tf",
        "kms_key_arn                        = var.state_kms_key_arn",
        "kms_key_arn                        = null",
        ("tests/unit/test_bootstrap_plan.py",),
    ),
    Mutation(
        "hosted zones lose prevent_destroy",
        "bootstrap/main.tf",
        "prevent_destroy = true",
        "prevent_destroy = false",
        ("tests/unit/test_state_protection_static.py",),
    ),
    Mutation(
        "state bucket name bound widened to 64 characters",
        "bootstrap/variables.tf",
        '[a-z0-9-]{1,61}[a-z0-9]$", var.state_bucket_name',
        '[a-z0-9-]{1,62}[a-z0-9]$", var.state_bucket_name',
        ("tests/unit/test_bootstrap_bad_input.py",),
    ),
    # --- ecs-cluster -------------------------------------------------------------------------
    Mutation(
        "cluster ignores its Container Insights input",
        "modules/ecs-cluster/main.tf",
        "value = var.container_insights",
        'value = "enabled"',
        ("tests/unit/test_ecs_cluster_plan.py",),
    ),
    Mutation(
        "cluster name bound widened to 256 characters",
        "modules/ecs-cluster/variables.tf",
        '^[A-Za-z0-9_-]{1,255}$", var.name',
        '^[A-Za-z0-9_-]{1,256}$", var.name',
        ("tests/unit/test_ecs_cluster_bad_input.py",),
    ),
    # --- ecs-service -------------------------------------------------------------------------
    Mutation(
        "service ingress open to the internet instead of the load balancer",
        "modules/ecs-service/service.tf",
        "referenced_security_group_id = var.load_balancer_security_group_id",
        'cidr_ipv4                    = "0.0.0.0/0"',
        ("tests/unit/test_ecs_service_plan.py",),
    ),
    Mutation(
        "deployment circuit breaker off",
        "modules/ecs-service/service.tf",
        "deployment_circuit_breaker {\n    enable   = true",
        "deployment_circuit_breaker {\n    enable   = false",
        ("tests/unit/test_ecs_service_plan.py",),
    ),
    Mutation(
        "service not attached to the target group",
        "modules/ecs-service/service.tf",
        "  load_balancer {\n    target_group_arn = var.target_group_arn\n"
        "    container_name   = var.container_name\n    container_port   = var.container_port\n"
        "  }\n",
        "",
        ("tests/unit/test_ecs_service_plan.py",),
    ),
    Mutation(
        "load balancer block names the service instead of the container",
        "modules/ecs-service/service.tf",
        "container_name   = var.container_name",
        "container_name   = var.name",
        ("tests/unit/test_ecs_service_plan.py",),
    ),
    Mutation(
        "ECR repository drops its customer KMS key",
        "modules/ecs-service/ecr.tf",
        "kms_key         = var.ecr_kms_key_arn",
        "kms_key         = null",
        ("tests/unit/test_ecs_service_plan.py",),
    ),
    Mutation(
        "log group keeps logs for ever",
        "modules/ecs-service/logs.tf",
        "retention_in_days = var.log_retention_days",
        "retention_in_days = 0",
        ("tests/unit/test_ecs_service_plan.py",),
    ),
    Mutation(
        "execution role may pull from every repository",
        "modules/ecs-service/iam.tf",
        "resources = [aws_ecr_repository.this.arn]",
        'resources = ["*"]',
        ("tests/unit/test_ecs_service_plan.py",),
    ),
    Mutation(
        "execution role may read every SSM parameter",
        "modules/ecs-service/iam.tf",
        "resources = local.parameter_arns",
        'resources = ["*"]',
        ("tests/unit/test_ecs_service_plan.py",),
    ),
    Mutation(
        "service security group destroyed before its replacement exists",
        "modules/ecs-service/service.tf",
        "create_before_destroy = true",
        "create_before_destroy = false",
        ("tests/unit/test_state_protection_static.py",),
    ),
    Mutation(
        "container port bound widened past 65535",
        "modules/ecs-service/variables.tf",
        "var.container_port <= 65535",
        "var.container_port <= 65536",
        ("tests/unit/test_ecs_service_bad_input.py",),
    ),
    Mutation(
        "terraform apply blocks on every rollout",
        "modules/ecs-service/service.tf",
        "wait_for_steady_state              = false",
        "wait_for_steady_state              = true",
        ("tests/unit/test_ecs_service_plan.py",),
    ),
    # --- alb-https ---------------------------------------------------------------------------
    Mutation(
        "TLS 1.1 policy allowed on the HTTPS listener",
        "modules/alb-https/variables.tf",
        '      "ELBSecurityPolicy-TLS-1-2-2017-01",\n',
        '      "ELBSecurityPolicy-TLS-1-2-2017-01",\n      "ELBSecurityPolicy-TLS-1-1-2017-01",\n',
        ("tests/unit/test_alb_https_bad_input.py",),
    ),
    Mutation(
        "HTTP listener forwards instead of redirecting",
        "modules/alb-https/main.tf",
        'type = "redirect"\n\n    redirect {\n      protocol    = "HTTPS"\n'
        '      port        = "443"\n      status_code = "HTTP_301"\n    }',
        'type             = "forward"\n    target_group_arn = aws_lb_target_group.this.arn',
        ("tests/unit/test_alb_https_plan.py",),
    ),
    Mutation(
        "health check on port 80 instead of the target port",
        "modules/alb-https/main.tf",
        'port                = "traffic-port"',
        'port                = "80"',
        ("tests/unit/test_alb_https_plan.py",),
    ),
    Mutation(
        "target group ignores its deregistration delay",
        "modules/alb-https/main.tf",
        "deregistration_delay = var.deregistration_delay",
        "deregistration_delay = 300",
        ("tests/unit/test_alb_https_plan.py",),
    ),
    Mutation(
        "load balancer always IPv4 only",
        "modules/alb-https/main.tf",
        "ip_address_type            = var.ip_address_type",
        'ip_address_type            = "ipv4"',
        ("tests/unit/test_alb_https_plan.py",),
    ),
    Mutation(
        "alias record aimed at the hosted zone instead of the load balancer's",
        "modules/alb-https/main.tf",
        "zone_id                = aws_lb.this.zone_id",
        "zone_id                = var.zone_id",
        ("tests/unit/test_alb_https_plan.py",),
    ),
    Mutation(
        "access log bucket allows insecure transport",
        "modules/alb-https/access_logs.tf",
        'values   = ["false"]',
        'values   = ["true"]',
        ("tests/unit/test_alb_https_hardening_plan.py",),
    ),
    # --- acm-certificate ---------------------------------------------------------------------
    Mutation(
        "certificate validated by email",
        "modules/acm-certificate/main.tf",
        'validation_method         = "DNS"',
        'validation_method         = "EMAIL"',
        ("tests/unit/test_acm_certificate_plan.py",),
    ),
    Mutation(
        "key algorithm rule accepts RSA_1024",
        "modules/acm-certificate/variables.tf",
        'contains(["RSA_2048", "EC_prime256v1", "EC_secp384r1"], var.key_algorithm)',
        'contains(["RSA_1024", "RSA_2048", "EC_prime256v1", "EC_secp384r1"], var.key_algorithm)',
        ("tests/unit/test_acm_certificate_bad_input.py",),
    ),
    # --- autoscaling -------------------------------------------------------------------------
    Mutation(
        "min and max capacity swapped",
        "modules/autoscaling/main.tf",
        "min_capacity       = var.min_capacity\n  max_capacity       = var.max_capacity",
        "min_capacity       = var.max_capacity\n  max_capacity       = var.min_capacity",
        ("tests/unit/test_autoscaling_plan.py",),
    ),
    Mutation(
        "target tracking never scales in",
        "modules/autoscaling/main.tf",
        "disable_scale_in   = false",
        "disable_scale_in   = true",
        ("tests/unit/test_autoscaling_plan.py",),
    ),
    Mutation(
        "memory policy tracks CPU",
        "modules/autoscaling/main.tf",
        'memory = { metric = "ECSServiceAverageMemoryUtilization"',
        'memory = { metric = "ECSServiceAverageCPUUtilization"',
        ("tests/unit/test_autoscaling_plan.py",),
    ),
    Mutation(
        "min capacity may be zero",
        "modules/autoscaling/variables.tf",
        "var.min_capacity >= 1",
        "var.min_capacity >= 0",
        ("tests/unit/test_autoscaling_bad_input.py",),
    ),
    # --- s3-website --------------------------------------------------------------------------
    Mutation(
        "site bucket accepts public ACLs",
        "modules/s3-website/main.tf",
        "block_public_acls       = true",
        "block_public_acls       = false",
        ("tests/unit/test_s3_website_plan.py",),
    ),
    Mutation(
        "website index document no longer the input",
        "modules/s3-website/main.tf",
        "suffix = var.index_document",
        'suffix = "index.htm"',
        ("tests/unit/test_s3_website_plan.py",),
    ),
    Mutation(
        "site alias aimed at the website endpoint instead of the website domain",
        "modules/s3-website/dns.tf",
        ": aws_s3_bucket_website_configuration.site.website_domain",
        ": aws_s3_bucket_website_configuration.site.website_endpoint",
        ("tests/unit/test_s3_website_plan.py",),
    ),
    Mutation(
        "CloudFront serves plain HTTP",
        "modules/s3-website/cloudfront.tf",
        'viewer_protocol_policy     = "redirect-to-https"',
        'viewer_protocol_policy     = "allow-all"',
        ("tests/unit/test_s3_website_plan.py",),
    ),
    Mutation(
        "www redirect always to https, even without CloudFront",
        "modules/s3-website/redirect.tf",
        'protocol  = var.enable_cloudfront ? "https" : "http"',
        'protocol  = "https"',
        ("tests/unit/test_s3_website_plan.py",),
    ),
    Mutation(
        "CloudFront stops compressing responses",
        "modules/s3-website/cloudfront.tf",
        "compress                   = true",
        "compress                   = false",
        ("tests/unit/test_s3_website_plan.py",),
    ),
    Mutation(
        "CloudFront may reach the origin over TLS 1.0",
        "modules/s3-website/cloudfront.tf",
        'origin_ssl_protocols   = ["TLSv1.2"]',
        'origin_ssl_protocols   = ["TLSv1", "TLSv1.2"]',
        ("tests/unit/test_s3_website_plan.py",),
    ),
    Mutation(
        "CORS rules lose their exposed headers",
        "modules/s3-website/main.tf",
        "expose_headers  = cors_rule.value.expose_headers",
        "expose_headers  = []",
        ("tests/unit/test_s3_website_plan.py",),
    ),
    # --- service-monitoring ------------------------------------------------------------------
    Mutation(
        "5xx-rate alarms fire below their threshold",
        "modules/service-monitoring/alarms.tf",
        'comparison_operator = "GreaterThanThreshold"\n'
        "  threshold           = each.value.threshold\n"
        "  evaluation_periods  = var.evaluation_periods",
        'comparison_operator = "LessThanThreshold"\n'
        "  threshold           = each.value.threshold\n"
        "  evaluation_periods  = var.evaluation_periods",
        ("tests/unit/test_service_monitoring_plan.py",),
    ),
    Mutation(
        "tasks-below-desired alarm notifies nobody",
        "modules/service-monitoring/alarms.tf",
        "alarm_actions       = local.notification_arns\n"
        "  ok_actions          = local.notification_arns\n\n"
        '  metric_query {\n    id          = "missing"',
        "alarm_actions       = []\n  ok_actions          = []"
        '\n\n  metric_query {\n    id          = "missing"',
        ("tests/unit/test_service_monitoring_plan.py",),
    ),
    Mutation(
        "memory alarm uses the CPU threshold",
        "modules/service-monitoring/alarms.tf",
        "threshold   = var.memory_utilization_percent",
        "threshold   = var.cpu_utilization_percent",
        ("tests/unit/test_service_monitoring_plan.py",),
    ),
    Mutation(
        "alarm key administrable by any principal",
        "modules/service-monitoring/notifications.tf",
        "Principal = { AWS = local.account_root }",
        'Principal = { AWS = "*" }',
        ("tests/unit/test_service_monitoring_plan.py",),
    ),
    Mutation(
        "memory alarm threshold may be zero",
        "modules/service-monitoring/variables.tf",
        "var.memory_utilization_percent > 0",
        "var.memory_utilization_percent >= 0",
        ("tests/unit/test_service_monitoring_bad_input.py",),
    ),
    # --- alb-waf -----------------------------------------------------------------------------
    Mutation(
        "common rule set only counts",
        "modules/alb-waf/main.tf",
        "priority = 10\n\n    override_action {\n      none {}",
        "priority = 10\n\n    override_action {\n      count {}",
        ("tests/unit/test_alb_waf_plan.py",),
    ),
    Mutation(
        "rate limit only counts",
        "modules/alb-waf/main.tf",
        "action {\n      block {}",
        "action {\n      count {}",
        ("tests/unit/test_alb_waf_plan.py",),
    ),
    Mutation(
        "rate limit bound loosened below 100",
        "modules/alb-waf/variables.tf",
        "var.rate_limit >= 100",
        "var.rate_limit >= 10",
        ("tests/unit/test_alb_waf_bad_input.py",),
    ),
    # --- live backend stack ------------------------------------------------------------------
    Mutation(
        "backend on the second and third default subnets",
        "live/_stacks/backend/main.tf",
        "slice(sort(data.aws_subnets.default.ids), 0, 2)",
        "slice(sort(data.aws_subnets.default.ids), 1, 3)",
        ("tests/unit/test_live_wiring_plan.py", "-k", "dev"),
    ),
    Mutation(
        "service starts at the maximum task count",
        "live/_stacks/backend/main.tf",
        "desired_count                     = var.min_capacity",
        "desired_count                     = var.max_capacity",
        ("tests/unit/test_backend_root_plan.py",),
    ),
    Mutation(
        "ELB 5xx alarm gets the target 5xx setting",
        "live/_stacks/backend/main.tf",
        "elb_5xx_rate_percent                   = var.alarms.elb_5xx_rate_percent",
        "elb_5xx_rate_percent                   = var.alarms.target_5xx_rate_percent",
        ("tests/unit/test_live_wiring_plan.py", "-k", "dev"),
    ),
    Mutation(
        "alarms watch the target group as the load balancer",
        "live/_stacks/backend/main.tf",
        "load_balancer_arn_suffix = module.alb.lb_arn_suffix\n"
        "  target_group_arn_suffix  = module.alb.target_group_arn_suffix",
        "load_balancer_arn_suffix = module.alb.target_group_arn_suffix\n"
        "  target_group_arn_suffix  = module.alb.lb_arn_suffix",
        ("tests/unit/test_live_wiring_plan.py", "-k", "dev"),
    ),
    Mutation(
        "load balancer keeps the module's health check",
        "live/_stacks/backend/main.tf",
        "  health_check         = var.health_check\n",
        "",
        ("tests/unit/test_backend_root_plan.py",),
    ),
    Mutation(
        "WAF never created",
        "live/_stacks/backend/main.tf",
        "count  = var.waf_enabled ? 1 : 0",
        "count  = 0",
        ("tests/unit/test_backend_root_readiness_plan.py",),
    ),
    Mutation(
        "dev rolling deploy bound loosened to 100 s",
        "live/_stacks/backend/main.tf",
        "{ dev = 90, prod = 120 }",
        "{ dev = 100, prod = 120 }",
        ("tests/unit/test_backend_root_bad_input.py",),
    ),
    # --- live frontend stack -----------------------------------------------------------------
    Mutation(
        "site without DNS records",
        "live/_stacks/frontend/main.tf",
        "create_dns_records = true",
        "create_dns_records = false",
        ("tests/unit/test_frontend_root_plan.py",),
    ),
    Mutation(
        "frontend ignores versioning_enabled",
        "live/_stacks/frontend/main.tf",
        "versioning_enabled = var.versioning_enabled",
        "versioning_enabled = true",
        ("tests/unit/test_live_wiring_plan.py", "-k", "frontend"),
    ),
    Mutation(
        "prod force_destroy check looks for the wrong environment name",
        "live/_stacks/frontend/main.tf",
        'condition     = var.environment != "prod" || !var.force_destroy',
        'condition     = var.environment != "production" || !var.force_destroy',
        ("tests/unit/test_frontend_root_bad_input.py",),
    ),
)
