locals {
  # Target group name_prefix: AWS allows at most six characters.
  target_group_name_prefix = substr(replace(var.name, "-", ""), 0, 6)

  public_ingress = {
    https_ipv4 = { port = 443, cidr_ipv4 = "0.0.0.0/0", cidr_ipv6 = null, description = "HTTPS from anywhere (IPv4)" }
    http_ipv4  = { port = 80, cidr_ipv4 = "0.0.0.0/0", cidr_ipv6 = null, description = "HTTP from anywhere (IPv4), answered with a redirect to HTTPS" }
    https_ipv6 = { port = 443, cidr_ipv4 = null, cidr_ipv6 = "::/0", description = "HTTPS from anywhere (IPv6)" }
    http_ipv6  = { port = 80, cidr_ipv4 = null, cidr_ipv6 = "::/0", description = "HTTP from anywhere (IPv6), answered with a redirect to HTTPS" }
  }

  strict_transport_security = join("; ", compact([
    "max-age=${var.hsts_max_age_seconds}",
    var.hsts_include_subdomains ? "includeSubDomains" : "",
  ]))

  alias_record_types = var.create_alias_records ? (var.ip_address_type == "dualstack" ? ["A", "AAAA"] : ["A"]) : []
}

resource "aws_security_group" "this" {
  name_prefix = "${var.name}-alb-"
  description = "Load balancer ${var.name}: HTTP and HTTPS from anywhere, container port to the service only."
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-alb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "public" {
  for_each = local.public_ingress
  # checkov:skip=CKV_AWS_260: a public load balancer; port 80 only answers 301 to HTTPS.

  security_group_id = aws_security_group.this.id
  description       = each.value.description
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr_ipv4
  cidr_ipv6         = each.value.cidr_ipv6

  tags = var.tags
}

resource "aws_vpc_security_group_egress_rule" "to_service" {
  security_group_id            = aws_security_group.this.id
  description                  = "Traffic and health checks to the service on the container port"
  ip_protocol                  = "tcp"
  from_port                    = var.target_port
  to_port                      = var.target_port
  referenced_security_group_id = var.service_security_group_id

  tags = var.tags
}

resource "aws_lb" "this" {
  # checkov:skip=CKV2_AWS_28: the web ACL is the separate alb-waf module, associated by the root (on in prod); this module cannot see that association.
  # checkov:skip=CKV_AWS_91: access logs are the access_logs_enabled toggle (on in prod); dev keeps them off so its applies stay fast.
  # checkov:skip=CKV_AWS_150: deletion protection is the deletion_protection input, on by default and in prod; disposable environments turn it off so destroy works.
  name                       = var.name
  internal                   = false
  load_balancer_type         = "application"
  ip_address_type            = var.ip_address_type
  security_groups            = [aws_security_group.this.id]
  subnets                    = var.subnet_ids
  enable_deletion_protection = var.deletion_protection
  drop_invalid_header_fields = true
  idle_timeout               = var.idle_timeout

  dynamic "access_logs" {
    # The name, not the bucket's id: known at plan time; depends_on orders the creation.
    for_each = var.access_logs_enabled ? [local.access_logs_bucket_name] : []
    content {
      enabled = true
      bucket  = access_logs.value
      prefix  = var.access_logs_prefix
    }
  }

  tags = var.tags

  # Enabling access logs makes ELB write a test object: the bucket policy must be in place.
  depends_on = [aws_s3_bucket_policy.access_logs]

  lifecycle {
    precondition {
      condition     = var.access_logs_prefix == null || var.access_logs_enabled
      error_message = "access_logs_prefix needs access_logs_enabled = true: turn access logs on (e.g. access_logs_enabled = true with access_logs_prefix = \"alb\") or leave the prefix null."
    }
  }
}

resource "aws_lb_target_group" "this" {
  # checkov:skip=CKV_AWS_378: TLS terminates at the load balancer; tasks speak HTTP inside the VPC on the container port.
  name_prefix          = local.target_group_name_prefix
  port                 = var.target_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay

  health_check {
    enabled             = true
    protocol            = "HTTP"
    port                = "traffic-port"
    path                = var.health_check.path
    matcher             = var.health_check.matcher
    interval            = var.health_check.interval
    timeout             = var.health_check.timeout
    healthy_threshold   = var.health_check.healthy_threshold
    unhealthy_threshold = var.health_check.unhealthy_threshold
  }

  tags = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = module.certificate.validated_arn

  # Response headers the load balancer adds to every HTTPS response (listener attributes).
  routing_http_response_strict_transport_security_header_value = local.strict_transport_security
  routing_http_response_x_content_type_options_header_value    = "nosniff"
  routing_http_response_server_enabled                         = false

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  tags = var.tags
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }

  tags = var.tags
}

resource "aws_route53_record" "alias" {
  for_each = toset(local.alias_record_types)

  zone_id = var.zone_id
  name    = var.domain_name
  type    = each.value

  alias {
    name                   = aws_lb.this.dns_name
    zone_id                = aws_lb.this.zone_id
    evaluate_target_health = true
  }
}
