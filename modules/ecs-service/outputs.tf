output "ecr_repository_url" {
  description = "URL of the ECR repository images are pushed to."
  value       = aws_ecr_repository.this.repository_url
}

output "ecr_repository_arn" {
  description = "ARN of the ECR repository."
  value       = aws_ecr_repository.this.arn
}

output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "service_id" {
  description = "ARN of the ECS service."
  value       = aws_ecs_service.this.id
}

output "container_name" {
  description = "Name of the application container (deploys replace its image)."
  value       = var.container_name
}

output "container_port" {
  description = "TCP port the container listens on."
  value       = var.container_port
}

output "task_definition_family" {
  description = "Family of the task definition; deploys register new revisions in it."
  value       = aws_ecs_task_definition.this.family
}

output "task_definition_arn" {
  description = "ARN of the task definition revision Terraform registered last."
  value       = aws_ecs_task_definition.this.arn
}

output "log_group_name" {
  description = "Name of the CloudWatch log group of the containers."
  value       = aws_cloudwatch_log_group.this.name
}

output "security_group_id" {
  description = "ID of the service security group."
  value       = aws_security_group.service.id
}

output "task_execution_role_arn" {
  description = "ARN of the task execution role."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "ARN of the application's task role."
  value       = aws_iam_role.task.arn
}

output "deployment_alarm_names" {
  description = "Alarms whose firing rolls a deployment back; empty when deployment alarms are off."
  value       = var.deployment_alarms_enabled ? var.deployment_alarm_names : []
}

output "execute_command_enabled" {
  description = "Whether ECS Exec is enabled on the service."
  value       = var.enable_execute_command
}
