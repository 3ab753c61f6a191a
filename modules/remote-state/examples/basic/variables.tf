variable "region" {
  type        = string
  default     = "us-east-1"
  description = "AWS region of the state bucket and lock table."
}

variable "s3_use_path_style" {
  type        = bool
  default     = false
  description = "Use path-style S3 addressing (S3-compatible endpoints such as a local emulator)."
}

variable "name" {
  type        = string
  default     = "acme-example-tfstate"
  description = "Name of the state bucket (passed to the module, which validates it)."
}

variable "lock_table_name" {
  type        = string
  default     = null
  description = "Name of the lock table; null means the bucket name with a -lock suffix."
}

variable "locking" {
  type        = string
  default     = "dynamodb"
  description = "State locking: dynamodb or s3."
}

variable "kms_key_arn" {
  type        = string
  default     = null
  description = "Optional KMS key ARN for SSE-KMS; null means SSE-S3."
}

variable "noncurrent_version_expiration_days" {
  type        = number
  default     = 90
  description = "Days a superseded state version is kept."
}

variable "abort_incomplete_multipart_upload_days" {
  type        = number
  default     = 7
  description = "Days after which incomplete multipart uploads are aborted."
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags added to every resource."
}
