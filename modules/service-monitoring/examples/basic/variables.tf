variable "region" {
  type        = string
  description = "AWS region to deploy into."
}

variable "environment" {
  type        = string
  description = "Environment name used in tags."
  default     = "example"
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
