output "arn" {
  description = "ARN of the certificate, known as soon as it is requested (it may still be pending validation)."
  value       = aws_acm_certificate.this.arn
}

output "validated_arn" {
  description = "ARN of the certificate once ACM has issued it; attach this one to listeners and distributions."
  value       = aws_acm_certificate_validation.this.certificate_arn
}

output "domain_name" {
  description = "Primary name of the certificate."
  value       = aws_acm_certificate.this.domain_name
}

output "subject_alternative_names" {
  description = "Every name the certificate covers, domain_name included."
  value       = aws_acm_certificate.this.subject_alternative_names
}

output "key_algorithm" {
  description = "Key algorithm of the certificate."
  value       = aws_acm_certificate.this.key_algorithm
}

output "validation_record_fqdns" {
  description = "Fully qualified names of the DNS validation records, by the domain name they validate."
  value       = { for name, record in aws_route53_record.validation : name => record.fqdn }
}
