variable "region" {
  type        = string
  description = "AWS region of the site bucket."

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

variable "certificate_region" {
  type        = string
  description = "Region of the provider that issues the CloudFront certificate; CloudFront only accepts us-east-1."

  validation {
    condition     = var.certificate_region == "us-east-1"
    error_message = "certificate_region must be us-east-1: CloudFront only uses ACM certificates from that region, e.g. us-east-1."
  }
}

variable "s3_use_path_style" {
  type        = bool
  default     = false
  description = "Use path-style S3 addressing (S3-compatible endpoints such as a local emulator)."
}

variable "environment" {
  type        = string
  description = "Environment name (dev or prod), used in default tags."

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod, e.g. dev."
  }
}

variable "zone_name" {
  type        = string
  description = "Public Route53 hosted zone (created by bootstrap/) that holds the site record."

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.zone_name)) && length(var.zone_name) <= 253
    error_message = "zone_name must be the hosted zone's domain name in lower case without a trailing dot, e.g. acme-lms.com."
  }
}

variable "domain_name" {
  type        = string
  description = "Site domain; also the website bucket's name."
}

variable "index_document" {
  type        = string
  description = "Index document of the site."
}

variable "error_document" {
  type        = string
  description = "Error document of the site."
}

variable "single_page_app" {
  type        = bool
  description = "Serve the index document for unknown paths."
}

variable "force_destroy" {
  type        = bool
  description = "Allow destroying the site bucket while it holds objects (dev only)."
}

variable "versioning_enabled" {
  type        = bool
  description = "Keep previous versions of published objects."
}

variable "redirect_www" {
  type        = bool
  description = "Create the www. redirect bucket and record."
}

variable "enable_cloudfront" {
  type        = bool
  description = "Serve the site over HTTPS through CloudFront."
}

variable "allowed_account_ids" {
  type        = list(string)
  default     = []
  description = "AWS accounts this environment may run in; the provider refuses any other before reading anything. Empty allows any (single-account setups)."

  validation {
    condition     = alltrue([for id in var.allowed_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "allowed_account_ids must hold 12-digit AWS account IDs, e.g. [\"123456789012\"]."
  }
}

variable "assume_role_arn" {
  type        = string
  default     = null
  description = "IAM role the provider assumes in the environment's account (state stays in the account of the caller); null uses the caller's credentials."

  validation {
    condition     = var.assume_role_arn == null || can(regex("^arn:[a-z-]+:iam::[0-9]{12}:role/.+$", var.assume_role_arn))
    error_message = "assume_role_arn must be null or an IAM role ARN, e.g. arn:aws:iam::123456789012:role/lms-deploy."
  }
}
