variable "region" {
  type        = string
  description = "AWS region of the site bucket."
}

variable "certificate_region" {
  type        = string
  description = "Region of the provider that issues the CloudFront certificate; CloudFront only accepts us-east-1."

  validation {
    condition     = var.certificate_region == "us-east-1"
    error_message = "certificate_region must be us-east-1: CloudFront only uses ACM certificates from that region."
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
    error_message = "environment must be dev or prod."
  }
}

variable "zone_name" {
  type        = string
  description = "Public Route53 hosted zone (created by bootstrap/) that holds the site record."
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
