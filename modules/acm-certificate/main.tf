resource "aws_acm_certificate" "this" {
  # checkov:skip=CKV2_AWS_71: A wildcard name is requested only when the caller lists one in subject_alternative_names (the live roots list none); serving many subdomains with one certificate is the domain owner's call.
  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
  validation_method         = "DNS"
  key_algorithm             = var.key_algorithm

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  tags = merge(var.tags, { Name = var.domain_name })

  # A changed name or key algorithm needs a new certificate: the new one is issued before
  # the old one is released, so whatever serves it (listener, distribution) never goes bare.
  lifecycle {
    create_before_destroy = true
  }
}

# Keyed by domain name: one CNAME per name ACM asks to validate (a wildcard and its apex
# share one record, which allow_overwrite lets both keys write).
resource "aws_route53_record" "validation" {
  for_each = {
    for option in aws_acm_certificate.this.domain_validation_options : option.domain_name => {
      name   = option.resource_record_name
      type   = option.resource_record_type
      record = option.resource_record_value
    }
  }

  zone_id         = var.zone_id
  name            = each.value.name
  type            = each.value.type
  records         = [each.value.record]
  ttl             = 60
  allow_overwrite = true
}

# Completes only once ACM has issued the certificate: consumers take validated_arn so they
# never attach a certificate that is still pending validation.
resource "aws_acm_certificate_validation" "this" {
  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = [for record in aws_route53_record.validation : record.fqdn]

  # Only when set: an absent block keeps the provider's default (75m) and adds no diff.
  dynamic "timeouts" {
    for_each = var.validation_timeout == null ? [] : [var.validation_timeout]
    content {
      create = timeouts.value
    }
  }
}
