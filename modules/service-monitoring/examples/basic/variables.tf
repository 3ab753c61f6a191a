variable "region" {
  type        = string
  description = "AWS region to deploy into."
}

variable "environment" {
  type        = string
  description = "Environment name used in tags."
  default     = "example"
}

variable "name" {
  type        = string
  description = "Name of the monitored service."
  default     = "lms-example-backend"
}

variable "load_balancer_arn_suffix" {
  type        = string
  description = "ARN suffix of the monitored load balancer."
  default     = "app/lms-example-backend/0123456789abcdef"
}

variable "target_group_arn_suffix" {
  type        = string
  description = "ARN suffix of the monitored target group."
  default     = "targetgroup/lmsexa20250101/0123456789abcdef"
}

variable "evaluation_periods" {
  type        = number
  description = "Breaching periods before an alarm fires."
  default     = 3
}

variable "response_time_statistic" {
  type        = string
  description = "Percentile the latency alarm watches."
  default     = "p99"
}

variable "response_time_threshold_seconds" {
  type        = number
  description = "Latency alarm threshold in seconds."
  default     = 1
}

variable "notification_emails" {
  type        = list(string)
  description = "Email subscribers of the alarm topic."
  default     = []
}

variable "request_count_target_value" {
  type        = number
  description = "Autoscaling target drawn on the dashboard."
  default     = 500
}

variable "period_seconds" {
  type        = number
  description = "Seconds per alarm datapoint."
  default     = 60
}

variable "tasks_below_desired_evaluation_periods" {
  type        = number
  description = "Periods with missing tasks before that alarm fires."
  default     = 10
}

variable "elb_5xx_rate_percent" {
  type        = number
  description = "Load balancer 5xx rate threshold (percent)."
  default     = 5
}

variable "target_5xx_rate_percent" {
  type        = number
  description = "Target 5xx rate threshold (percent)."
  default     = 5
}

variable "cpu_utilization_percent" {
  type        = number
  description = "CPU alarm threshold (percent)."
  default     = 85
}

variable "memory_utilization_percent" {
  type        = number
  description = "Memory alarm threshold (percent)."
  default     = 85
}

variable "kms_deletion_window_days" {
  type        = number
  description = "Days before the topic key is deleted after destroy."
  default     = 30
}
