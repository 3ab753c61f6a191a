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

variable "cluster_name" {
  type        = string
  description = "ECS cluster of the service."
}

variable "service_name" {
  type        = string
  description = "ECS service to scale."
}

variable "load_balancer_arn_suffix" {
  type        = string
  description = "ARN suffix of the load balancer in front of the service."
}

variable "target_group_arn_suffix" {
  type        = string
  description = "ARN suffix of the service's target group."
}

variable "min_capacity" {
  type        = number
  description = "Fewest tasks."
  default     = 1
}

variable "max_capacity" {
  type        = number
  description = "Most tasks."
  default     = 4
}

variable "request_count_target_value" {
  type        = number
  description = "Requests per task per minute to aim for."
  default     = 500
}
