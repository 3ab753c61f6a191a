provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "lms"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

module "monitoring" {
  source = "../.."

  name                     = var.name
  load_balancer_arn_suffix = var.load_balancer_arn_suffix
  target_group_arn_suffix  = var.target_group_arn_suffix
  cluster_name             = var.name
  service_name             = var.name

  period_seconds                         = var.period_seconds
  evaluation_periods                     = var.evaluation_periods
  tasks_below_desired_evaluation_periods = var.tasks_below_desired_evaluation_periods
  elb_5xx_rate_percent                   = var.elb_5xx_rate_percent
  target_5xx_rate_percent                = var.target_5xx_rate_percent
  response_time_statistic                = var.response_time_statistic
  response_time_threshold_seconds        = var.response_time_threshold_seconds
  cpu_utilization_percent                = var.cpu_utilization_percent
  memory_utilization_percent             = var.memory_utilization_percent
  notification_emails                    = var.notification_emails
  request_count_target_value             = var.request_count_target_value
  kms_deletion_window_days               = var.kms_deletion_window_days

  tags = { Component = "backend" }
}
