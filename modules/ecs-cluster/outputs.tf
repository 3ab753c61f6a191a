output "arn" {
  description = "ARN of the cluster; give it to every service that runs in it (ecs-service cluster_arn)."
  value       = aws_ecs_cluster.this.arn
}

output "name" {
  description = "Name of the cluster (the ClusterName dimension of ECS metrics, part of autoscaling resource IDs)."
  value       = aws_ecs_cluster.this.name
}

output "container_insights" {
  description = "Container Insights setting of the cluster."
  value       = var.container_insights
}
