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
  value       = module.service.cluster_name
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
