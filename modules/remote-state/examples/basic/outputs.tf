output "bucket_name" {
  description = "Name of the state bucket."
  value       = module.remote_state.bucket_name
}

output "bucket_arn" {
  description = "ARN of the state bucket."
  value       = module.remote_state.bucket_arn
}

output "lock_table_name" {
  description = "Name of the lock table."
  value       = module.remote_state.lock_table_name
}

output "lock_table_arn" {
  description = "ARN of the lock table."
  value       = module.remote_state.lock_table_arn
}

output "backend_config" {
  description = "Partial S3 backend configuration for live roots."
  value       = module.remote_state.backend_config
}
