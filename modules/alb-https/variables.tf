variable "name" {
  type        = string
  description = "Name of the load balancer; prefixes its security group and target group."

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", var.name)) && !startswith(var.name, "internal-")
    error_message = "name must be 1-32 characters: lower case letters, digits and hyphens, not starting or ending with a hyphen nor starting with internal-, e.g. lms-prod-api."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
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

variable "vpc_id" {
  type        = string
  description = "VPC of the subnets; holds the load balancer security group and the target group."

  validation {
    condition     = can(regex("^vpc-([0-9a-f]{8}|[0-9a-f]{17})$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID such as vpc-0123456789abcdef0."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Public subnets the load balancer spans (at least two, in different Availability Zones)."

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids must list at least two subnets (in different Availability Zones), e.g. [\"subnet-0aaaaaaaaaaaaaaaa\", \"subnet-0bbbbbbbbbbbbbbbb\"]."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-([0-9a-f]{8}|[0-9a-f]{17})$", id))])
    error_message = "subnet_ids must hold subnet IDs such as subnet-0123456789abcdef0."
  }

  validation {
    condition     = length(distinct(var.subnet_ids)) == length(var.subnet_ids)
    error_message = "subnet_ids must not list the same subnet twice, e.g. [\"subnet-0aaaaaaaaaaaaaaaa\", \"subnet-0bbbbbbbbbbbbbbbb\"]."
  }
}

variable "ip_address_type" {
  type        = string
  description = "Address family of the load balancer: ipv4, or dualstack when the subnets have IPv6 CIDRs."
  default     = "ipv4"

  validation {
    condition     = contains(["ipv4", "dualstack"], var.ip_address_type)
    error_message = "ip_address_type must be ipv4 or dualstack, e.g. ipv4."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the load balancer from deletion (turn off to destroy it)."
  default     = true
}

variable "idle_timeout" {
  type        = number
  description = "Seconds a connection may stay idle before the load balancer closes it."
  default     = 60

  validation {
    condition     = var.idle_timeout >= 1 && var.idle_timeout <= 4000 && var.idle_timeout == floor(var.idle_timeout)
    error_message = "idle_timeout must be a whole number of seconds from 1 to 4000, e.g. 60."
  }
}

variable "access_logs_prefix" {
  type        = string
  description = "Key prefix of the access logs in the access logs bucket; null writes them at the top."
  default     = null

  validation {
    condition     = var.access_logs_prefix == null || can(regex("^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$", var.access_logs_prefix))
    error_message = "access_logs_prefix must be null or an S3 key prefix without leading or trailing slash and without AWSLogs, e.g. alb or lms/prod."
  }

  validation {
    condition     = var.access_logs_prefix == null || !strcontains(coalesce(var.access_logs_prefix, "-"), "AWSLogs")
    error_message = "access_logs_prefix must not contain AWSLogs (ELB adds AWSLogs/<account>/ itself), e.g. alb."
  }
}

variable "target_port" {
  type        = number
  description = "Port the targets (containers) listen on; also the only port the load balancer may reach."
  default     = 4000

  validation {
    condition     = var.target_port >= 1 && var.target_port <= 65535 && var.target_port == floor(var.target_port)
    error_message = "target_port must be a whole number from 1 to 65535, e.g. 4000."
  }
}

variable "service_security_group_id" {
  type        = string
  description = "Security group of the service's tasks; the load balancer's only egress destination."

  validation {
    condition     = can(regex("^sg-([0-9a-f]{8}|[0-9a-f]{17})$", var.service_security_group_id))
    error_message = "service_security_group_id must be a security group ID such as sg-0123456789abcdef0."
  }
}

variable "deregistration_delay" {
  type        = number
  description = "Seconds the target group drains a deregistering target before removing it."
  default     = 30

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600 && var.deregistration_delay == floor(var.deregistration_delay)
    error_message = "deregistration_delay must be a whole number of seconds from 0 to 3600, e.g. 30."
  }
}

variable "health_check" {
  type = object({
    path                = optional(string, "/health")
    matcher             = optional(string, "200")
    interval            = optional(number, 15)
    timeout             = optional(number, 5)
    healthy_threshold   = optional(number, 2)
    unhealthy_threshold = optional(number, 3)
  })
  description = "Target group health check: path, matcher (HTTP codes), interval and timeout (seconds), healthy and unhealthy thresholds."
  default     = {}

  validation {
    condition     = startswith(var.health_check.path, "/") && length(var.health_check.path) <= 1024 && !can(regex("\\s", var.health_check.path))
    error_message = "health_check path must start with / and be at most 1024 characters without spaces, e.g. /health."
  }

  validation {
    condition     = can(regex("^[2-4][0-9]{2}(-[2-4][0-9]{2}|(,[2-4][0-9]{2})*)$", var.health_check.matcher))
    error_message = "health_check matcher must be HTTP codes from 200 to 499: one (200), a range (200-299) or a list (200,302), e.g. 200."
  }

  validation {
    condition     = var.health_check.interval >= 5 && var.health_check.interval <= 300 && var.health_check.interval == floor(var.health_check.interval)
    error_message = "health_check interval must be a whole number of seconds from 5 to 300, e.g. 15."
  }

  validation {
    condition     = var.health_check.timeout >= 2 && var.health_check.timeout <= 120 && var.health_check.timeout == floor(var.health_check.timeout)
    error_message = "health_check timeout must be a whole number of seconds from 2 to 120, e.g. 5."
  }

  validation {
    condition     = var.health_check.timeout < var.health_check.interval
    error_message = "health_check timeout must be less than its interval, e.g. timeout 5 with interval 15."
  }

  validation {
    condition     = alltrue([for n in [var.health_check.healthy_threshold, var.health_check.unhealthy_threshold] : n >= 2 && n <= 10 && n == floor(n)])
    error_message = "health_check healthy_threshold and unhealthy_threshold must be whole numbers from 2 to 10, e.g. 2 and 3."
  }
}

variable "ssl_policy" {
  type        = string
  description = "TLS security policy of the HTTPS listener (TLS 1.2 or newer only)."
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition = contains([
      "ELBSecurityPolicy-TLS13-1-3-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
      "ELBSecurityPolicy-TLS-1-2-2017-01",
      "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
      "ELBSecurityPolicy-FS-1-2-2019-08",
      "ELBSecurityPolicy-FS-1-2-Res-2019-08",
      "ELBSecurityPolicy-FS-1-2-Res-2020-10",
    ], var.ssl_policy)
    error_message = "ssl_policy must be an ELB security policy that allows only TLS 1.2 or newer, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06."
  }
}

variable "domain_name" {
  type        = string
  description = "Domain name the backend answers on (e.g. api.example.com); the certificate's primary name."

  validation {
    condition     = length(var.domain_name) <= 253 && can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a lower-case fully qualified domain name such as api.example.com (labels of letters, digits and inner hyphens, at most 63 characters each)."
  }
}

variable "subject_alternative_names" {
  type        = list(string)
  description = "Additional domain names on the certificate (wildcards such as *.example.com allowed)."
  default     = []
}

variable "zone_id" {
  type        = string
  description = "Route53 hosted zone that holds the certificate validation records and the alias records."

  validation {
    condition     = can(regex("^[A-Z0-9]{1,32}$", var.zone_id))
    error_message = "zone_id must be a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ (upper-case letters and digits)."
  }
}

variable "create_alias_records" {
  type        = bool
  description = "Create Route53 alias records for domain_name pointing at the load balancer (A, plus AAAA when dualstack)."
  default     = true
}

variable "hsts_max_age_seconds" {
  type        = number
  description = "max-age of the Strict-Transport-Security header the HTTPS listener adds to every response."
  default     = 31536000

  validation {
    condition     = var.hsts_max_age_seconds >= 300 && var.hsts_max_age_seconds <= 63072000 && var.hsts_max_age_seconds == floor(var.hsts_max_age_seconds)
    error_message = "hsts_max_age_seconds must be a whole number of seconds from 300 to 63072000 (two years), e.g. 31536000 for one year."
  }
}

variable "hsts_include_subdomains" {
  type        = bool
  description = "Add includeSubDomains to the Strict-Transport-Security header."
  default     = true
}

variable "access_logs_enabled" {
  type        = bool
  description = "Create a private, SSE-S3 encrypted bucket with a lifecycle and deliver the load balancer's access logs to it."
  default     = false
}

variable "access_logs_delivery" {
  type        = string
  description = "Who delivers the access logs in this region: elb-account (regions opened before August 2022) or service-principal (logdelivery.elasticloadbalancing.amazonaws.com, newer regions)."
  default     = "elb-account"

  validation {
    condition     = contains(["elb-account", "service-principal"], var.access_logs_delivery)
    error_message = "access_logs_delivery must be elb-account (regions opened before August 2022, e.g. us-east-1) or service-principal (newer regions, e.g. ap-southeast-5)."
  }
}

variable "access_logs_expiration_days" {
  type        = number
  description = "Days the access logs bucket keeps a log object before its lifecycle deletes it."
  default     = 90

  validation {
    condition     = var.access_logs_expiration_days >= 1 && var.access_logs_expiration_days <= 3650 && var.access_logs_expiration_days == floor(var.access_logs_expiration_days)
    error_message = "access_logs_expiration_days must be a whole number of days from 1 to 3650, e.g. 90."
  }
}

variable "access_logs_force_destroy" {
  type        = bool
  description = "Let destroy delete the access logs bucket while it still holds logs."
  default     = false
}
