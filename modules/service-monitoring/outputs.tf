output "alarm_names" {
  description = "Name of every alarm, by key: elb_5xx_rate, target_5xx_rate, target_response_time, unhealthy_hosts, cpu_high, memory_high, tasks_below_desired."
  value       = local.alarm_names
}

output "alarm_arns" {
  description = "ARN of every alarm, by the same keys as alarm_names."
  value       = local.alarm_arns
}

output "deployment_alarm_names" {
  description = "Alarms that mean the revision being deployed is bad (load balancer and target 5xx rates, unhealthy targets): the ECS service's deployment alarms."
  # From the created alarms, so a service that names them waits until they exist.
  value = [for key in local.deployment_alarm_keys : local.created_alarm_names[key]]
}

output "sns_topic_arn" {
  description = "ARN of the encrypted SNS topic every alarm notifies."
  value       = aws_sns_topic.alarms.arn
}

output "kms_key_arn" {
  description = "ARN of the KMS key that encrypts the alarm topic."
  value       = aws_kms_key.alarms.arn
}

output "dashboard_name" {
  description = "Name of the CloudWatch dashboard."
  value       = aws_cloudwatch_dashboard.this.dashboard_name
}

output "alarm_thresholds" {
  description = "Threshold of every alarm, by the same keys as alarm_names (percent, seconds or counts)."
  value = merge(
    { for key, alarm in local.rate_alarms : key => alarm.threshold },
    { for key, alarm in local.metric_alarms : key => alarm.threshold },
    { tasks_below_desired = 0 },
  )
}
