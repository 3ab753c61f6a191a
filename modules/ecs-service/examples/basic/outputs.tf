output "ecr_repository_url" {
  description = "URL of the ECR repository."
  value       = module.ecs_service.ecr_repository_url
}

output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = module.ecs_cluster.name
}

output "service_name" {
  description = "Name of the ECS service."
  value       = module.ecs_service.service_name
}

output "task_definition_family" {
  description = "Task definition family."
  value       = module.ecs_service.task_definition_family
}
