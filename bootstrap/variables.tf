variable "region" {
  type        = string
  description = "AWS region of the state bucket and lock table (the live roots' backend region)."

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as us-east-1."
  }
}

variable "s3_use_path_style" {
  type        = bool
  default     = false
  description = "Use path-style S3 addressing (S3-compatible endpoints such as a local emulator); also written to backend_config as use_path_style = true."
}

variable "state_bucket_name" {
  type        = string
  description = "Name of the Terraform state bucket (globally unique; validated by the remote-state module)."
}

variable "locking" {
  type        = string
  default     = "dynamodb"
  description = "State locking for the live roots: dynamodb (lock table) or s3 (S3-native lock file, use_lockfile, Terraform >= 1.10)."

  validation {
    condition     = contains(["dynamodb", "s3"], var.locking)
    error_message = "locking must be \"dynamodb\" (DynamoDB lock table) or \"s3\" (S3-native lock file, Terraform >= 1.10)."
  }
}

variable "state_kms_key_arn" {
  type        = string
  default     = null
  description = "Optional KMS key ARN for the state bucket, objects and lock table; null means SSE-S3 and the AWS managed DynamoDB key."
}

variable "state_noncurrent_version_expiration_days" {
  type        = number
  default     = 90
  description = "Days a superseded state version is kept before it expires."
}

variable "hosted_zones" {
  type        = list(string)
  description = "Public Route53 hosted zones the environments use, e.g. [\"acme-lms.com\"]."

  validation {
    condition     = length(var.hosted_zones) > 0 && alltrue([for z in var.hosted_zones : can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", z))])
    error_message = "hosted_zones must list at least one domain name in lower case without a trailing dot, e.g. acme-lms.com."
  }

  validation {
    condition     = length(distinct(var.hosted_zones)) == length(var.hosted_zones)
    error_message = "hosted_zones must not list the same domain twice."
  }
}
