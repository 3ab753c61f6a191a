variable "region" {
  type        = string
  description = "AWS region to deploy into."
}

variable "environment" {
  type        = string
  description = "Environment name used in tags."
  default     = "example"
}

variable "load_balancer_arn" {
  type        = string
  description = "Application Load Balancer the web ACL protects."
}

variable "rate_limit" {
  type        = number
  description = "Requests per client IP per 5 minutes."
  default     = 2000
}

variable "name" {
  type        = string
  description = "Name of the web ACL."
  default     = "lms-example-backend"
}
