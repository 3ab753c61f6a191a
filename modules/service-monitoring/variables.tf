variable "name" {
  type        = string
  description = "Name of the monitored service; prefixes every alarm, the topic, the key alias and names the dashboard."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}[a-z0-9]$", var.name))
    error_message = "name must be 2-64 lower case letters, digits and hyphens, starting with a letter and not ending with a hyphen, e.g. lms-prod-backend."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags added to every resource."
  default     = {}
}

variable "load_balancer_arn_suffix" {
  type        = string
  description = "ARN suffix of the load balancer (app/NAME/ID), the LoadBalancer dimension of its metrics."

  validation {
    condition     = can(regex("^app/[A-Za-z0-9-]+/[0-9a-f]+$", var.load_balancer_arn_suffix))
    error_message = "load_balancer_arn_suffix must be an Application Load Balancer ARN suffix, e.g. app/lms-prod-backend/0123456789abcdef."
  }
}

variable "target_group_arn_suffix" {
  type        = string
  description = "ARN suffix of the target group (targetgroup/NAME/ID), the TargetGroup dimension of its metrics."

  validation {
    condition     = can(regex("^targetgroup/[A-Za-z0-9-]+/[0-9a-f]+$", var.target_group_arn_suffix))
    error_message = "target_group_arn_suffix must be a target group ARN suffix, e.g. targetgroup/lmspro20250101/0123456789abcdef."
  }
}

variable "cluster_name" {
  type        = string
  description = "ECS cluster of the service (ClusterName dimension)."
}

variable "service_name" {
  type        = string
  description = "ECS service (ServiceName dimension)."
}

variable "period_seconds" {
  type        = number
  description = "Seconds over which each alarm datapoint aggregates its metric."
  default     = 60

  validation {
    condition     = contains([10, 30], var.period_seconds) || (var.period_seconds >= 60 && var.period_seconds <= 86400 && var.period_seconds % 60 == 0)
    error_message = "period_seconds must be 10, 30 or a multiple of 60 up to 86400, e.g. 60."
  }
}

variable "evaluation_periods" {
  type        = number
  description = "Consecutive breaching periods before an alarm (all but tasks_below_desired) fires."
  default     = 3

  validation {
    condition     = var.evaluation_periods >= 1 && var.evaluation_periods <= 30 && var.evaluation_periods == floor(var.evaluation_periods)
    error_message = "evaluation_periods must be a whole number from 1 to 30, e.g. 3."
  }
}

variable "tasks_below_desired_evaluation_periods" {
  type        = number
  description = "Consecutive periods with fewer running than desired tasks before that alarm fires; longer than a deploy or scale-out takes."
  default     = 10

  validation {
    condition     = var.tasks_below_desired_evaluation_periods >= 2 && var.tasks_below_desired_evaluation_periods <= 60 && var.tasks_below_desired_evaluation_periods == floor(var.tasks_below_desired_evaluation_periods)
    error_message = "tasks_below_desired_evaluation_periods must be a whole number from 2 to 60, e.g. 10."
  }
}

variable "elb_5xx_rate_percent" {
  type        = number
  description = "Percent of requests answered 5xx by the load balancer itself above which its alarm fires."
  default     = 5

  validation {
    condition     = var.elb_5xx_rate_percent > 0 && var.elb_5xx_rate_percent <= 100
    error_message = "elb_5xx_rate_percent must be above 0 and at most 100, e.g. 5."
  }
}

variable "target_5xx_rate_percent" {
  type        = number
  description = "Percent of requests answered 5xx by the service above which its alarm fires."
  default     = 5

  validation {
    condition     = var.target_5xx_rate_percent > 0 && var.target_5xx_rate_percent <= 100
    error_message = "target_5xx_rate_percent must be above 0 and at most 100, e.g. 5."
  }
}

variable "response_time_statistic" {
  type        = string
  description = "Percentile of the target response time the latency alarm watches: p90, p95 or p99."
  default     = "p99"

  validation {
    condition     = contains(["p90", "p95", "p99"], var.response_time_statistic)
    error_message = "response_time_statistic must be p90, p95 or p99, e.g. p99."
  }
}

variable "response_time_threshold_seconds" {
  type        = number
  description = "Target response time (seconds, at response_time_statistic) above which the latency alarm fires."
  default     = 1

  validation {
    condition     = var.response_time_threshold_seconds > 0 && var.response_time_threshold_seconds <= 60
    error_message = "response_time_threshold_seconds must be above 0 and at most 60 seconds, e.g. 1."
  }
}

variable "cpu_utilization_percent" {
  type        = number
  description = "Average CPU utilisation (percent) of the service above which its alarm fires."
  default     = 85

  validation {
    condition     = var.cpu_utilization_percent > 0 && var.cpu_utilization_percent <= 100
    error_message = "cpu_utilization_percent must be above 0 and at most 100, e.g. 85."
  }
}

variable "memory_utilization_percent" {
  type        = number
  description = "Average memory utilisation (percent) of the service above which its alarm fires."
  default     = 85

  validation {
    condition     = var.memory_utilization_percent > 0 && var.memory_utilization_percent <= 100
    error_message = "memory_utilization_percent must be above 0 and at most 100, e.g. 85."
  }
}

variable "notification_emails" {
  type        = list(string)
  description = "Email addresses subscribed to the alarm topic (each confirms by email); empty for none."
  default     = []

  validation {
    condition     = alltrue([for email in var.notification_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", email))])
    error_message = "notification_emails must hold email addresses, e.g. [\"oncall@example.com\"]."
  }
}

variable "request_count_target_value" {
  type        = number
  description = "Requests per target per minute autoscaling aims for, drawn beside the request count per target on the dashboard; null draws no line."
  default     = null
}

variable "kms_deletion_window_days" {
  type        = number
  description = "Days KMS waits before deleting the topic's key after destroy."
  default     = 30

  validation {
    condition     = var.kms_deletion_window_days >= 7 && var.kms_deletion_window_days <= 30 && var.kms_deletion_window_days == floor(var.kms_deletion_window_days)
    error_message = "kms_deletion_window_days must be a whole number from 7 to 30, e.g. 30."
  }
}
