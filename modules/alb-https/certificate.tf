# The certificate for domain_name (and subject_alternative_names), validated through DNS
# records in zone_id, in the load balancer's region (the module inherits this module's
# provider): modules/acm-certificate.
module "certificate" {
  source = "../acm-certificate"

  domain_name               = var.domain_name
  subject_alternative_names = var.subject_alternative_names
  zone_id                   = var.zone_id

  tags = var.tags
}

# Where these resources lived before the certificate became its own module: states
# applied with this module's earlier versions move without replacing anything.
moved {
  from = aws_acm_certificate.this
  to   = module.certificate.aws_acm_certificate.this
}

moved {
  from = aws_route53_record.validation
  to   = module.certificate.aws_route53_record.validation
}

moved {
  from = aws_acm_certificate_validation.this
  to   = module.certificate.aws_acm_certificate_validation.this
}
