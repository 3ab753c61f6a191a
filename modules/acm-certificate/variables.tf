variable "domain_name" {
  type        = string
  description = "Primary name of the certificate (e.g. api.example.com or *.example.com)."

  validation {
    condition     = length(var.domain_name) <= 253 && can(regex("^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a lower-case fully qualified domain name, optionally starting with *., such as api.example.com (labels of letters, digits and inner hyphens, at most 63 characters each)."
  }
}

variable "subject_alternative_names" {
  type        = list(string)
  description = "Additional domain names on the certificate (wildcards such as *.example.com allowed)."
  default     = []

  validation {
    condition     = alltrue([for name in var.subject_alternative_names : length(name) <= 253 && can(regex("^(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", name))])
    error_message = "subject_alternative_names must hold lower-case fully qualified domain names, optionally starting with *. (e.g. www.example.com, *.example.com)."
  }

  validation {
    condition     = length(distinct(var.subject_alternative_names)) == length(var.subject_alternative_names)
    error_message = "subject_alternative_names must not list the same name twice, e.g. [\"www.example.com\"]."
  }

  validation {
    condition     = length(var.subject_alternative_names) <= 99
    error_message = "subject_alternative_names must hold at most 99 names (ACM allows 100 names per certificate, domain_name included), e.g. [\"www.example.com\"]."
  }
}

variable "zone_id" {
  type        = string
  description = "Route53 hosted zone that receives the DNS validation records."

  validation {
    condition     = can(regex("^[A-Z0-9]{1,32}$", var.zone_id))
    error_message = "zone_id must be a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ (upper-case letters and digits)."
  }
}

variable "key_algorithm" {
  type        = string
  description = "Key algorithm of the certificate: RSA_2048, EC_prime256v1 or EC_secp384r1 (what ACM issues for public certificates); null means RSA_2048. Changing it replaces the certificate."
  default     = "RSA_2048"
  nullable    = false

  validation {
    condition     = contains(["RSA_2048", "EC_prime256v1", "EC_secp384r1"], var.key_algorithm)
    error_message = "key_algorithm must be RSA_2048, EC_prime256v1 or EC_secp384r1 (the algorithms ACM issues public certificates with), e.g. RSA_2048."
  }
}

variable "validation_timeout" {
  type        = string
  description = "How long to wait for ACM to issue the certificate (a duration such as 45m or 1h30m); null keeps the provider's default of 75m."
  default     = null

  validation {
    condition     = var.validation_timeout == null ? true : var.validation_timeout != "" && can(regex("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$", var.validation_timeout))
    error_message = "validation_timeout must be null or a duration of hours, minutes and seconds such as 45m or 1h30m."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to the certificate (with Name = domain_name)."
  default     = {}

  validation {
    condition     = alltrue([for key in keys(var.tags) : !startswith(lower(key), "aws:")])
    error_message = "tags keys must not start with aws: (AWS reserves that prefix for its own tags), e.g. { Team = \"lms\" }."
  }

  validation {
    condition     = alltrue([for key, value in var.tags : length(key) >= 1 && length(key) <= 128 && length(value) <= 256 && can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+@-]*$", "${key}${value}"))])
    error_message = "tags keys must be 1-128 and values at most 256 characters of letters, digits, spaces and _ . : / = + - @, e.g. { Team = \"lms\" }."
  }
}
