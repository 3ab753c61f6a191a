variable "region" {
  type        = string
  description = "AWS region to deploy into."
}

variable "s3_use_path_style" {
  type        = bool
  default     = false
  description = "Use path-style S3 addressing (S3-compatible endpoints such as a local emulator)."
}

variable "environment" {
  type        = string
  description = "Environment name used in tags."
  default     = "example"
}

variable "domain_name" {
  type        = string
  description = "Domain name of the backend, inside the hosted zone."
  default     = "api.example.com"
}

variable "subject_alternative_names" {
  type        = list(string)
  description = "Additional certificate names."
  default     = []
}

variable "zone_id" {
  type        = string
  description = "Route53 hosted zone of the domain."
}

variable "vpc_id" {
  type        = string
  description = "VPC holding the subnets."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Two or more public subnets for the load balancer."
}

variable "ip_address_type" {
  type        = string
  description = "ipv4 or dualstack."
  default     = "ipv4"
}

variable "service_security_group_id" {
  type        = string
  description = "Security group of the service's tasks."
}

variable "target_port" {
  type        = number
  description = "Port the service's containers listen on."
  default     = 4000
}

variable "hsts_max_age_seconds" {
  type        = number
  description = "max-age of the Strict-Transport-Security header."
  default     = 31536000
}

variable "hsts_include_subdomains" {
  type        = bool
  description = "Add includeSubDomains to the Strict-Transport-Security header."
  default     = true
}

variable "access_logs_enabled" {
  type        = bool
  description = "Create the access logs bucket and deliver the load balancer's logs to it."
  default     = false
}

variable "access_logs_delivery" {
  type        = string
  description = "elb-account or service-principal."
  default     = "elb-account"
}

variable "access_logs_prefix" {
  type        = string
  description = "Key prefix of the access logs."
  default     = null
}

variable "access_logs_expiration_days" {
  type        = number
  description = "Days the access logs are kept."
  default     = 90
}
