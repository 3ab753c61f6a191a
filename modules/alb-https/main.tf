locals {
  # Target group name_prefix: AWS allows at most six characters.
  target_group_name_prefix = substr(replace(var.name, "-", ""), 0, 6)

  public_ingress = {
    https_ipv4 = { port = 443, cidr_ipv4 = "0.0.0.0/0", cidr_ipv6 = null, description = "HTTPS from anywhere (IPv4)" }
    http_ipv4  = { port = 80, cidr_ipv4 = "0.0.0.0/0", cidr_ipv6 = null, description = "HTTP from anywhere (IPv4), answered with a redirect to HTTPS" }
    https_ipv6 = { port = 443, cidr_ipv4 = null, cidr_ipv6 = "::/0", description = "HTTPS from anywhere (IPv6)" }
    http_ipv6  = { port = 80, cidr_ipv4 = null, cidr_ipv6 = "::/0", description = "HTTP from anywhere (IPv6), answered with a redirect to HTTPS" }
  }

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
  # checkov:skip=CKV2_AWS_28: no WAF in this platform's scope yet; the listener only forwards to one target group.
  # checkov:skip=CKV_AWS_91: access logging is optional: set access_logs_bucket to enable it.
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
    for_each = var.access_logs_bucket == null ? [] : [var.access_logs_bucket]
    content {
      enabled = true
      bucket  = access_logs.value
      prefix  = var.access_logs_prefix
    }
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = var.access_logs_prefix == null || var.access_logs_bucket != null
      error_message = "access_logs_prefix needs access_logs_bucket: set the bucket (e.g. acme-lms-alb-logs) or leave the prefix null."
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
  certificate_arn   = aws_acm_certificate_validation.this.certificate_arn

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
