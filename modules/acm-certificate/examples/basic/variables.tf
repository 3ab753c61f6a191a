variable "region" {
  type        = string
  description = "AWS region of the example's default provider."
}

variable "certificate_region" {
  type        = string
  description = "Region the certificate is issued in (us-east-1 for CloudFront)."
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
  description = "Hosted zone created by the example for the validation records."
}

variable "domain_name" {
  type        = string
  default     = "api.example-lms.com"
  description = "Primary name of the certificate, inside zone_name."
}

variable "subject_alternative_names" {
  type        = list(string)
  default     = []
  description = "Additional names on the certificate, inside zone_name."
}

variable "key_algorithm" {
  type        = string
  default     = null
  description = "Key algorithm of the certificate; null keeps the module's default."
}

variable "validation_timeout" {
  type        = string
  default     = null
  description = "How long to wait for the certificate to be issued; null for the provider's default."
}
