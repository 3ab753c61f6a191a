output "bucket_name" {
  description = "Name of the state bucket."
  value       = aws_s3_bucket.state.id
}

output "bucket_arn" {
  description = "ARN of the state bucket."
  value       = aws_s3_bucket.state.arn
}

output "lock_table_name" {
  description = "Name of the DynamoDB lock table; null when locking is s3."
  value       = one(aws_dynamodb_table.lock[*].name)
}

output "lock_table_arn" {
  description = "ARN of the DynamoDB lock table; null when locking is s3."
  value       = one(aws_dynamodb_table.lock[*].arn)
}

output "backend_config" {
  description = "Partial S3 backend configuration (bucket, region, encryption, locking) for terraform init -backend-config=FILE in every live root; each root sets its own key."
  value       = "${join("\n", local.backend_settings)}\n"
}
