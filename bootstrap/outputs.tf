output "backend_config" {
  description = "Partial S3 backend configuration: save it to a file and pass it to terraform init -backend-config=FILE in every live root."
  value       = module.remote_state.backend_config
}

output "state_bucket_name" {
  description = "Name of the state bucket."
  value       = module.remote_state.bucket_name
}

output "state_bucket_arn" {
  description = "ARN of the state bucket."
  value       = module.remote_state.bucket_arn
}

output "lock_table_name" {
  description = "Name of the DynamoDB lock table; null when locking is s3."
  value       = module.remote_state.lock_table_name
}

output "lock_table_arn" {
  description = "ARN of the DynamoDB lock table; null when locking is s3."
  value       = module.remote_state.lock_table_arn
}

output "hosted_zone_ids" {
  description = "Route53 hosted zone id of each public zone, by domain name."
  value       = { for name, zone in aws_route53_zone.public : name => zone.zone_id }
}

output "name_servers" {
  description = "Name servers of each public zone, by domain name: delegate the domain to them at the registrar."
  value       = { for name, zone in aws_route53_zone.public : name => zone.name_servers }
}
