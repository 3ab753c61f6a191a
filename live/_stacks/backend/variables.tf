variable "region" {
  type        = string
  description = "AWS region of the backend."

  validation {
    condition = (
      contains([
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1",
        "ap-east-2", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
        "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1",
        "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1",
        "me-south-1", "mx-central-1", "sa-east-1", "us-gov-east-1", "us-gov-west-1", "cn-north-1",
        "cn-northwest-1",
      ], var.region)
    )
    error_message = "region must be an AWS Region code such as us-east-1 or eu-west-1; \"${var.region}\" is not one."
  }
}

variable "s3_use_path_style" {
  type        = bool
  default     = false
  description = "Use path-style S3 addressing (S3-compatible endpoints such as a local emulator)."
}

variable "environment" {
  type        = string
  description = "Environment name (dev or prod); names every resource and tags it."

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod, e.g. dev."
  }
}

variable "zone_name" {
  type        = string
  description = "Public Route53 hosted zone (created by bootstrap/) that holds the backend's records."

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.zone_name)) && length(var.zone_name) <= 253
    error_message = "zone_name must be the hosted zone's domain name in lower case without a trailing dot, e.g. acme-lms.com."
  }
}

variable "domain_name" {
  type        = string
  description = "Domain the backend API answers on, inside zone_name."
}

variable "image_tag" {
  type        = string
  description = "Image tag of the first task definition; deploys register later revisions with their own tags."
}

variable "cpu" {
  type        = number
  description = "Task CPU units."
}

variable "memory" {
  type        = number
  description = "Task memory in MiB."
}

variable "container_port" {
  type        = number
  description = "TCP port the backend container listens on."
}

variable "environment_variables" {
  type        = map(string)
  description = "Plain environment variables of the backend container."
}

variable "secrets" {
  type        = map(string)
  description = "Secrets of the backend container (name => SSM parameter or Secrets Manager ARN)."
}

variable "log_retention_days" {
  type        = number
  description = "Days CloudWatch keeps the backend's logs."
}

variable "ecr_force_delete" {
  type        = bool
  description = "Let destroy delete the ECR repository while it holds images."
}

variable "assign_public_ip" {
  type        = bool
  description = "Give tasks a public IP: the default VPC has no NAT gateway, so tasks need one to pull images."
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the load balancer from deletion."
}

variable "deregistration_delay" {
  type        = number
  description = "Seconds the target group drains a deregistering task."
}

variable "health_check" {
  type = object({
    path                = string
    matcher             = string
    interval            = number
    timeout             = number
    healthy_threshold   = number
    unhealthy_threshold = number
  })
  description = "Target group health check of the backend."
}

variable "health_check_grace_period_seconds" {
  type        = number
  description = "Seconds ECS ignores load balancer health checks after a task starts."
}

variable "min_capacity" {
  type        = number
  description = "Fewest running tasks (also the desired count at creation)."
}

variable "max_capacity" {
  type        = number
  description = "Most running tasks."
}

variable "request_count_target_value" {
  type        = number
  description = "Requests per task per minute autoscaling aims for."
}

variable "cpu_target_value" {
  type        = number
  description = "Average CPU utilisation (percent) autoscaling aims for; null for no CPU policy."
}

variable "scale_in_cooldown" {
  type        = number
  description = "Seconds between scale-in activities."
}

variable "scale_out_cooldown" {
  type        = number
  description = "Seconds between scale-out activities."
}

variable "allowed_account_ids" {
  type        = list(string)
  default     = []
  description = "AWS accounts this environment may run in; the provider refuses any other before reading anything. Empty allows any (single-account setups)."

  validation {
    condition     = alltrue([for id in var.allowed_account_ids : can(regex("^[0-9]{12}$", id))])
    error_message = "allowed_account_ids must hold 12-digit AWS account IDs, e.g. [\"123456789012\"]."
  }
}

variable "assume_role_arn" {
  type        = string
  default     = null
  description = "IAM role the provider assumes in the environment's account (state stays in the account of the caller); null uses the caller's credentials."

  validation {
    condition     = var.assume_role_arn == null || can(regex("^arn:[a-z-]+:iam::[0-9]{12}:role/.+$", var.assume_role_arn))
    error_message = "assume_role_arn must be null or an IAM role ARN, e.g. arn:aws:iam::123456789012:role/lms-deploy."
  }
}

variable "alarms" {
  type = object({
    period_seconds                         = optional(number, 60)
    evaluation_periods                     = optional(number, 3)
    tasks_below_desired_evaluation_periods = optional(number, 10)
    elb_5xx_rate_percent                   = optional(number, 5)
    target_5xx_rate_percent                = optional(number, 5)
    response_time_statistic                = optional(string, "p99")
    response_time_threshold_seconds        = optional(number, 1)
    cpu_utilization_percent                = optional(number, 85)
    memory_utilization_percent             = optional(number, 85)
  })
  default     = {}
  description = "Alarm thresholds and evaluation periods of the backend (see modules/service-monitoring for each rule)."
}

variable "alarm_emails" {
  type        = list(string)
  default     = []
  description = "Email addresses subscribed to the backend's alarm topic."
}

variable "deployment_alarms_enabled" {
  type        = bool
  default     = true
  description = "Roll a deployment back when the 5xx-rate or unhealthy-target alarms fire during it."
}

variable "enable_execute_command" {
  type        = bool
  default     = false
  description = "Allow ECS Exec into the backend's tasks; refused in prod unless allow_execute_command_in_prod."
}

variable "allow_execute_command_in_prod" {
  type        = bool
  default     = false
  description = "Deliberate override that lets enable_execute_command be true in prod."
}

variable "waf_enabled" {
  type        = bool
  default     = false
  description = "Protect the load balancer with a WAFv2 web ACL (AWS managed common and known-bad-inputs rules, per-IP rate limit)."
}

variable "waf_rate_limit" {
  type        = number
  default     = 2000
  description = "Requests one client IP may send in 5 minutes before the WAF blocks it."
}

variable "access_logs_enabled" {
  type        = bool
  default     = false
  description = "Deliver the load balancer's access logs to a bucket the stack creates."
}

variable "access_logs_expiration_days" {
  type        = number
  default     = 90
  description = "Days the access logs are kept."
}
