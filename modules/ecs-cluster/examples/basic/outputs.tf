output "cluster_arn" {
  description = "ARN of the cluster, what services take."
  value       = module.cluster.arn
}

output "cluster_name" {
  description = "Name of the cluster."
  value       = module.cluster.name
}
