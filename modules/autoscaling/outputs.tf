output "resource_id" {
  description = "Resource ID of the scalable target (service/CLUSTER/SERVICE)."
  value       = aws_appautoscaling_target.this.resource_id
}

output "request_count_resource_label" {
  description = "Resource label of the ALBRequestCountPerTarget policy (LB suffix/target group suffix)."
  value       = local.policies.requests.resource_label
}

output "policy_arns" {
  description = "ARNs of the target-tracking policies by kind (requests, cpu, memory)."
  value       = { for kind, policy in aws_appautoscaling_policy.this : kind => policy.arn }
}

output "policy_names" {
  description = "Names of the target-tracking policies by kind (requests, cpu, memory)."
  value       = { for kind, policy in aws_appautoscaling_policy.this : kind => policy.name }
}
