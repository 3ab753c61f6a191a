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
  description = "Environment name used in tags and the log group name."
  default     = "example"
}

variable "vpc_id" {
  type        = string
  description = "VPC holding the subnets."
}

variable "subnet_ids" {
  type        = list(string)
  description = "Two or more subnets for the tasks."
}

variable "load_balancer_security_group_id" {
  type        = string
  description = "Security group of the load balancer in front of the service."
}

variable "target_group_arn" {
  type        = string
  description = "Target group (type ip) the tasks register in."
}

variable "secrets" {
  type        = map(string)
  description = "Secrets for the container (name => SSM parameter or Secrets Manager ARN)."
  default     = {}
}

variable "image" {
  type        = string
  description = "Full image reference; null uses the module's ECR repository with the tag bootstrap."
  default     = null
}

variable "cpu" {
  type        = number
  description = "Task CPU units."
  default     = 256
}

variable "memory" {
  type        = number
  description = "Task memory in MiB."
  default     = 512
}

variable "container_port" {
  type        = number
  description = "TCP port of the container."
  default     = 4000
}

variable "log_retention_days" {
  type        = number
  description = "Days CloudWatch keeps the logs."
  default     = 30
}

variable "deployment_alarms_enabled" {
  type        = bool
  description = "Roll deployments back when a deployment alarm fires."
  default     = false
}

variable "deployment_alarm_names" {
  type        = list(string)
  description = "Alarms ECS watches during deployments."
  default     = []
}

variable "enable_execute_command" {
  type        = bool
  description = "Allow ECS Exec into the tasks."
  default     = false
}
