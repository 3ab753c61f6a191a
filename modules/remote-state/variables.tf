variable "name" {
  type        = string
  description = "Name of the state bucket; the lock table is named after it with a -lock suffix unless lock_table_name is set."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be 3-63 characters of lower case letters, digits and hyphens, beginning and ending with a letter or digit (S3 bucket naming rules; dots are refused because they break TLS for virtual-hosted-style requests), e.g. acme-lms-tfstate."
  }

  validation {
    condition     = !can(regex("^(xn--|sthree-|amzn-s3-demo-)|(-s3alias|--ol-s3|--x-s3|--table-s3)$", var.name))
    error_message = "name must not begin with the reserved prefixes xn--, sthree-, amzn-s3-demo- nor end with the reserved suffixes -s3alias, --ol-s3, --x-s3, --table-s3 (S3 bucket naming rules), e.g. acme-lms-tfstate."
  }
}

variable "lock_table_name" {
  type        = string
  default     = null
  description = "Name of the DynamoDB lock table; null means the bucket name with a -lock suffix."

  validation {
    condition     = var.lock_table_name == null || can(regex("^[A-Za-z0-9_.-]{3,255}$", var.lock_table_name))
    error_message = "lock_table_name must be 3-255 characters of letters, digits, underscores, dots and hyphens (DynamoDB table naming rules), e.g. acme-lms-tfstate-lock."
  }
}

variable "locking" {
  type        = string
  default     = "dynamodb"
  description = "State locking: \"dynamodb\" creates the lock table and names it in backend_config; \"s3\" uses S3-native lock files (use_lockfile, Terraform >= 1.10) and creates no table."

  validation {
    condition     = contains(["dynamodb", "s3"], var.locking)
    error_message = "locking must be \"dynamodb\" (DynamoDB lock table) or \"s3\" (S3-native lock file, Terraform >= 1.10), e.g. \"dynamodb\"."
  }
}

variable "kms_key_arn" {
  type        = string
  default     = null
  description = "ARN of a KMS key encrypting the bucket (aws:kms with an S3 bucket key), the lock table and the state objects; null means SSE-S3 (AES256) for the bucket and the AWS managed key for the table."

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN (not an alias), e.g. arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab."
  }
}

variable "noncurrent_version_expiration_days" {
  type        = number
  default     = 90
  description = "Days a superseded state version is kept before the lifecycle rule expires it."

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 36500 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of days from 1 to 36500, e.g. 90."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  type        = number
  default     = 7
  description = "Days after which the lifecycle rule aborts an incomplete multipart upload."

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && var.abort_incomplete_multipart_upload_days <= 36500 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "abort_incomplete_multipart_upload_days must be a whole number of days from 1 to 36500, e.g. 7."
  }
}

variable "backend_use_path_style" {
  type        = bool
  default     = false
  description = "Add use_path_style = true to backend_config (S3-compatible endpoints such as a local emulator)."
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags added to every resource."

  validation {
    condition     = alltrue([for key in keys(var.tags) : !startswith(lower(key), "aws:")])
    error_message = "tags keys must not start with aws: (AWS reserves that prefix for its own tags), e.g. { Team = \"lms\" }."
  }

  validation {
    condition     = alltrue([for key, value in var.tags : length(key) >= 1 && length(key) <= 128 && length(value) <= 256 && can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*$", "${key}${value}"))])
    error_message = "tags keys must be 1-128 and values at most 256 characters of letters, digits, spaces and _ . : / = + - @, e.g. { Team = \"lms\" }."
  }
}
