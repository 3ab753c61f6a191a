variable "region" {
  type        = string
  description = "AWS region of the state bucket and lock table (the live roots' backend region)."

  validation {
    condition = (
      contains([
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1",
        "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
        "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1",
        "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1",
        "me-south-1", "mx-central-1", "sa-east-1", "us-gov-east-1", "us-gov-west-1", "cn-north-1",
        "cn-northwest-1",
      ], var.region)
    )
    error_message = "region must be an AWS Region code such as us-east-1 or eu-west-1; \"${var.region}\" is not one."
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
    error_message = "state_bucket_name must be 3-63 characters of lower case letters, digits and hyphens, beginning and ending with a letter or digit (S3 bucket naming rules, without dots), e.g. acme-lms-tfstate-4f2a9c1e."
  }

  validation {
    condition     = !can(regex("^(xn--|sthree-|amzn-s3-demo-)|(-s3alias|--ol-s3|--x-s3|--table-s3)$", var.state_bucket_name))
    error_message = "state_bucket_name must not begin with xn--, sthree- or amzn-s3-demo- nor end with -s3alias, --ol-s3, --x-s3 or --table-s3 (S3 reserves them), e.g. acme-lms-tfstate-4f2a9c1e."
  }
}

variable "locking" {
  type        = string
  default     = "dynamodb"
  description = "State locking for the live roots: dynamodb (lock table) or s3 (S3-native lock file, use_lockfile, Terraform >= 1.10)."

  validation {
    condition     = contains(["dynamodb", "s3"], var.locking)
    error_message = "locking must be \"dynamodb\" (DynamoDB lock table) or \"s3\" (S3-native lock file, Terraform >= 1.10), e.g. \"dynamodb\"."
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
    condition     = var.state_noncurrent_version_expiration_days >= 1 && var.state_noncurrent_version_expiration_days <= 36500 && floor(var.state_noncurrent_version_expiration_days) == var.state_noncurrent_version_expiration_days
    error_message = "state_noncurrent_version_expiration_days must be a whole number of days from 1 to 36500, e.g. 90."
  }
}

variable "hosted_zones" {
  type        = list(string)
  description = "Public Route53 hosted zones the environments use, e.g. [\"acme-lms.com\"]."

  validation {
    condition     = length(var.hosted_zones) > 0 && alltrue([for z in var.hosted_zones : length(z) <= 253 && can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", z))])
    error_message = "hosted_zones must list at least one domain name of at most 253 characters, in lower case without a trailing dot, e.g. acme-lms.com."
  }

  validation {
    condition     = length(distinct(var.hosted_zones)) == length(var.hosted_zones)
    error_message = "hosted_zones must not list the same domain twice, e.g. [\"acme-lms.com\"]."
  }
}
