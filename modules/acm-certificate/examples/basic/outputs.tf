output "certificate_arn" {
  description = "ARN of the issued certificate."
  value       = module.certificate.validated_arn
}

output "validation_record_fqdns" {
  description = "DNS validation records, by the name they validate."
  value       = module.certificate.validation_record_fqdns
}
