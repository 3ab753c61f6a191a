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
  description = "Name of the Terraform state bucket (globally unique), e.g. acme-lms-tfstate-4f2a9c1e."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.state_bucket_name))
    error_message = "state_bucket_name must be 3-63 characters of lower case letters, digits and hyphens, beginning and ending with a letter or digit (S3 bucket naming rules, without dots)."
  }
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

  validation {
    condition     = var.state_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]+$", var.state_kms_key_arn))
    error_message = "state_kms_key_arn must be null or a KMS key ARN (not an alias), e.g. arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}

variable "state_noncurrent_version_expiration_days" {
  type        = number
  default     = 90
  description = "Days a superseded state version is kept before it expires."

  validation {
    condition     = var.state_noncurrent_version_expiration_days >= 1 && floor(var.state_noncurrent_version_expiration_days) == var.state_noncurrent_version_expiration_days
    error_message = "state_noncurrent_version_expiration_days must be a whole number of days, at least 1."
  }
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
