variable "region" {
  type        = string
  description = "AWS region of the website bucket."
}

variable "certificate_region" {
  type        = string
  description = "Region of the CloudFront certificate provider; CloudFront requires us-east-1."
}

variable "s3_use_path_style" {
  type        = bool
  default     = false
  description = "Use path-style S3 addressing (S3-compatible endpoints such as a local emulator)."
}

variable "environment" {
  type        = string
  default     = "example"
  description = "Environment name for default tags."
}

variable "zone_name" {
  type        = string
  default     = "example-lms.com"
  description = "Hosted zone created by the example for the site records."
}

variable "domain_name" {
  type        = string
  default     = "site.example-lms.com"
  description = "Site domain and bucket name."
}

variable "index_document" {
  type        = string
  default     = "index.html"
  description = "Index document of the site."
}

variable "error_document" {
  type        = string
  default     = "404.html"
  description = "Error document of the site."
}

variable "single_page_app" {
  type        = bool
  default     = false
  description = "Serve the index document for unknown paths."
}

variable "force_destroy" {
  type        = bool
  default     = false
  description = "Allow destroying the site bucket(s) with objects in them."
}

variable "redirect_www" {
  type        = bool
  default     = false
  description = "Create the www. redirect bucket."
}

variable "enable_cloudfront" {
  type        = bool
  default     = false
  description = "Put CloudFront with an ACM certificate in front of the site."
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
  description = "CORS rules for the website bucket."
}
