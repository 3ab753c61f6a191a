variable "domain_name" {
  type        = string
  description = "Site domain; the website bucket is named exactly this (e.g. dev.example.com)."

  validation {
    condition     = length(var.domain_name) >= 3 && length(var.domain_name) <= 63
    error_message = "domain_name must be 3-63 characters long (the S3 bucket name limit)."
  }

  validation {
    condition     = lower(var.domain_name) == var.domain_name
    error_message = "domain_name must be lower case: S3 bucket names cannot contain upper case letters."
  }

  validation {
    condition     = !strcontains(var.domain_name, "_")
    error_message = "domain_name must not contain underscores: S3 bucket names and DNS host names cannot."
  }

  validation {
    condition     = !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.domain_name))
    error_message = "domain_name must not be an IP address: S3 bucket names cannot be formatted as one."
  }

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$", var.domain_name))
    error_message = "domain_name must be dot-separated DNS labels of lower case letters, digits and hyphens, each starting and ending with a letter or digit."
  }
}

variable "index_document" {
  type        = string
  default     = "index.html"
  description = "Object served for requests to the site root and to any folder path."

  validation {
    condition     = can(regex("^[^/]+$", var.index_document))
    error_message = "index_document must be a non-empty file name without slashes (S3 appends it to folder paths)."
  }
}

variable "error_document" {
  type        = string
  default     = "404.html"
  description = "Object key served (with status 404) for missing objects; ignored when single_page_app is true."

  validation {
    condition     = length(var.error_document) > 0 && !startswith(var.error_document, "/")
    error_message = "error_document must be a non-empty object key without a leading slash, e.g. 404.html."
  }
}

variable "single_page_app" {
  type        = bool
  default     = false
  description = "Serve the index document for unknown paths (client-side routing): the error document becomes the index document."
}

variable "force_destroy" {
  type        = bool
  default     = false
  description = "Let terraform destroy delete the bucket(s) with every object in them (use in dev only)."
}

variable "versioning_enabled" {
  type        = bool
  default     = true
  description = "Keep previous versions of published objects so a bad publish can be rolled back."
}

variable "noncurrent_version_expiration_days" {
  type        = number
  default     = 30
  description = "Days after which previous object versions are deleted (when versioning is enabled)."

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of days, at least 1."
  }
}

variable "cors_rules" {
  type = list(object({
    allowed_methods = list(string)
    allowed_origins = list(string)
    allowed_headers = optional(list(string), [])
    expose_headers  = optional(list(string), [])
    max_age_seconds = optional(number)
  }))
  default     = []
  description = "CORS rules for the website bucket; empty means no CORS configuration."

  validation {
    condition = alltrue([
      for rule in var.cors_rules : length(setsubtract(rule.allowed_methods, ["GET", "PUT", "POST", "DELETE", "HEAD"])) == 0
    ])
    error_message = "cors_rules allowed_methods may only contain GET, PUT, POST, DELETE and HEAD."
  }
}

variable "create_dns_records" {
  type        = bool
  default     = false
  description = "Create Route53 alias records for the domain (and www. when redirect_www) in zone_id."
}

variable "zone_id" {
  type        = string
  default     = null
  description = "Route53 hosted zone id for the alias records and certificate validation; required when create_dns_records or enable_cloudfront is true."
}

variable "redirect_www" {
  type        = bool
  default     = false
  description = "Create a www.<domain_name> bucket that redirects every request to domain_name."
}

variable "enable_cloudfront" {
  type        = bool
  default     = false
  description = "Serve the site over HTTPS through a CloudFront distribution with an ACM certificate from the aws.us_east_1 provider."
}

variable "cloudfront_price_class" {
  type        = string
  default     = "PriceClass_100"
  description = "CloudFront price class (edge locations used) when enable_cloudfront is true."

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.cloudfront_price_class)
    error_message = "cloudfront_price_class must be one of PriceClass_100, PriceClass_200, PriceClass_All."
  }
}

variable "web_acl_id" {
  type        = string
  default     = null
  description = "ARN of a WAFv2 web ACL (CLOUDFRONT scope) to attach to the distribution; null for none."
}

variable "tags" {
  type        = map(string)
  default     = {}
  description = "Tags added to every resource."
}
