output "resource_id" {
  description = "Resource ID of the scalable target."
  value       = module.autoscaling.resource_id
}

output "request_count_resource_label" {
  description = "Resource label of the request-count policy."
  value       = module.autoscaling.request_count_resource_label
}
