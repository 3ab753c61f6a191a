output "alarm_names" {
  description = "Alarm names by key."
  value       = module.monitoring.alarm_names
}

output "deployment_alarm_names" {
  description = "Alarms the ECS service rolls a deployment back on."
  value       = module.monitoring.deployment_alarm_names
}

output "dashboard_name" {
  description = "Name of the dashboard."
  value       = module.monitoring.dashboard_name
}
