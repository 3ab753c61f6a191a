variable "domain_name" {
  type        = string
  description = "Site domain; the website bucket is named exactly this (e.g. dev.example.com)."

  validation {
    condition     = length(var.domain_name) >= 3 && length(var.domain_name) <= 63
    error_message = "domain_name must be 3-63 characters long (the S3 bucket name limit), e.g. dev.example.com."
  }

  validation {
    condition     = lower(var.domain_name) == var.domain_name
    error_message = "domain_name must be lower case: S3 bucket names cannot contain upper case letters, e.g. dev.example.com."
  }

  validation {
    condition     = !strcontains(var.domain_name, "_")
    error_message = "domain_name must not contain underscores: S3 bucket names and DNS host names cannot, e.g. dev-site.example.com."
  }

  validation {
    condition     = !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.domain_name))
    error_message = "domain_name must not be an IP address: S3 bucket names cannot be formatted as one, e.g. dev.example.com."
  }

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$", var.domain_name))
    error_message = "domain_name must be dot-separated DNS labels of lower case letters, digits and hyphens, each starting and ending with a letter or digit, e.g. dev.example.com."
  }

  validation {
    condition     = !can(regex("^(xn--|sthree-|amzn-s3-demo-)|(-s3alias|--ol-s3|\\.mrap|--x-s3|--table-s3)$", var.domain_name))
    error_message = "domain_name must not begin with xn--, sthree- or amzn-s3-demo- nor end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3: S3 reserves them for bucket names, e.g. use dev.example.com."
  }

  validation {
    condition     = strcontains(var.domain_name, ".")
    error_message = "domain_name must be a fully qualified domain name with at least one dot (the site is reached by that name), e.g. dev.example.com."
  }
}

variable "index_document" {
  type        = string
  default     = "index.html"
  description = "Object served for requests to the site root and to any folder path."

  validation {
    condition     = can(regex("^[^/]+$", var.index_document))
    error_message = "index_document must be a non-empty file name without slashes (S3 appends it to folder paths), e.g. index.html."
  }

  validation {
    condition     = length(var.index_document) <= 1024
    error_message = "index_document must be at most 1024 characters (the S3 key limit), e.g. index.html."
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

  validation {
    condition     = length(var.error_document) <= 1024
    error_message = "error_document must be at most 1024 characters (the S3 key limit), e.g. 404.html."
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
    condition     = var.noncurrent_version_expiration_days >= 1 && var.noncurrent_version_expiration_days <= 36500 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of days from 1 to 36500, e.g. 30."
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
    error_message = "cors_rules allowed_methods may only contain GET, PUT, POST, DELETE and HEAD, e.g. [\"GET\", \"HEAD\"]."
  }

  validation {
    condition     = length(var.cors_rules) <= 100
    error_message = "cors_rules must hold at most 100 rules (the S3 limit), e.g. [{ allowed_methods = [\"GET\"], allowed_origins = [\"https://app.example.com\"] }]."
  }

  validation {
    condition     = alltrue([for rule in var.cors_rules : length(rule.allowed_methods) > 0 && length(rule.allowed_origins) > 0])
    error_message = "cors_rules must each list at least one allowed method and one allowed origin, e.g. { allowed_methods = [\"GET\"], allowed_origins = [\"https://app.example.com\"] }."
  }

  validation {
    condition     = alltrue(flatten([for rule in var.cors_rules : [for origin in rule.allowed_origins : length(origin) > 0 && length(split("*", origin)) <= 2]]))
    error_message = "cors_rules allowed_origins must be non-empty and hold at most one * wildcard each, e.g. https://*.example.com or *."
  }

  validation {
    condition     = alltrue([for rule in var.cors_rules : rule.max_age_seconds == null ? true : rule.max_age_seconds >= 0 && rule.max_age_seconds <= 86400 && rule.max_age_seconds == floor(rule.max_age_seconds)])
    error_message = "cors_rules max_age_seconds must be null or a whole number of seconds from 0 to 86400, e.g. 3600."
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

  validation {
    condition     = var.zone_id == null ? true : can(regex("^[A-Z0-9]{1,32}$", var.zone_id))
    error_message = "zone_id must be null or a Route53 hosted zone ID (upper-case letters and digits, not a domain name), e.g. Z0123456789ABCDEFGHIJ."
  }
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
    error_message = "cloudfront_price_class must be one of PriceClass_100, PriceClass_200, PriceClass_All, e.g. PriceClass_100."
  }
}

variable "web_acl_id" {
  type        = string
  default     = null
  description = "ARN of a WAFv2 web ACL (CLOUDFRONT scope) to attach to the distribution; null for none."

  validation {
    condition     = var.web_acl_id == null ? true : can(regex("^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global/webacl/[A-Za-z0-9_-]{1,128}/[a-f0-9-]{36}$", var.web_acl_id))
    error_message = "web_acl_id must be null or the ARN of a WAFv2 web ACL with CLOUDFRONT scope (region us-east-1, global/webacl/...), e.g. arn:aws:wafv2:us-east-1:111122223333:global/webacl/lms-site/a1b2c3d4-5678-90ab-cdef-111122223333."
  }
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
