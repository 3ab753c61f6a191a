output "backend_url" {
  description = "HTTPS URL of the backend API."
  value       = module.alb.url
}

output "domain_name" {
  description = "Domain the backend API answers on."
  value       = var.domain_name
}

output "lb_dns_name" {
  description = "DNS name of the load balancer."
  value       = module.alb.lb_dns_name
}

output "lb_arn" {
  description = "ARN of the load balancer."
  value       = module.alb.lb_arn
}

output "target_group_arn" {
  description = "ARN of the target group the service registers its tasks in."
  value       = module.alb.target_group_arn
}

output "ecr_repository_url" {
  description = "ECR repository the deploy pushes backend images to."
  value       = module.service.ecr_repository_url
}

output "cluster_name" {
  description = "ECS cluster of the backend service."
  value       = module.cluster.name
}

output "service_name" {
  description = "ECS service of the backend."
  value       = module.service.service_name
}

output "container_name" {
  description = "Container whose image a deploy replaces."
  value       = module.service.container_name
}

output "container_port" {
  description = "TCP port the backend container listens on."
  value       = module.service.container_port
}

output "task_definition_family" {
  description = "Task definition family; deploys register new revisions in it."
  value       = module.service.task_definition_family
}

output "log_group_name" {
  description = "CloudWatch log group of the backend containers."
  value       = module.service.log_group_name
}

output "log_retention_days" {
  description = "Days the backend's logs are kept."
  value       = var.log_retention_days
}

output "autoscaling_resource_id" {
  description = "Application Auto Scaling resource ID of the service."
  value       = module.autoscaling.resource_id
}

output "rolling_deploy_worst_case_seconds" {
  description = "Worst-case seconds one rolling deploy step takes: health-check interval x healthy threshold + deregistration delay + grace period."
  value       = local.rolling_deploy_worst_case_seconds
}

output "alarm_names" {
  description = "CloudWatch alarms of the backend, by key (elb_5xx_rate, target_5xx_rate, target_response_time, unhealthy_hosts, cpu_high, memory_high, tasks_below_desired)."
  value       = module.monitoring.alarm_names
}

output "alarm_thresholds" {
  description = "Threshold of each alarm, by the same keys as alarm_names."
  value       = module.monitoring.alarm_thresholds
}

output "deployment_alarm_names" {
  description = "Alarms that roll a deployment back when they fire; empty when deployment alarms are off."
  value       = module.service.deployment_alarm_names
}

output "alarm_topic_arn" {
  description = "Encrypted SNS topic the alarms notify."
  value       = module.monitoring.sns_topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the backend."
  value       = module.monitoring.dashboard_name
}

output "strict_transport_security" {
  description = "Strict-Transport-Security header value the HTTPS listener sends."
  value       = module.alb.strict_transport_security
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener."
  value       = module.alb.https_listener_arn
}

output "web_acl_arn" {
  description = "WAFv2 web ACL associated with the load balancer; null when the WAF is off."
  value       = one(module.waf[*].web_acl_arn)
}

output "access_logs_bucket" {
  description = "Bucket receiving the load balancer's access logs; null when access logs are off."
  value       = module.alb.access_logs_bucket
}

output "execute_command_enabled" {
  description = "Whether ECS Exec is enabled on the backend service."
  value       = module.service.execute_command_enabled
}
