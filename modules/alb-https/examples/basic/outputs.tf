output "url" {
  description = "HTTPS URL of the backend."
  value       = module.alb.url
}

output "lb_dns_name" {
  description = "DNS name of the load balancer."
  value       = module.alb.lb_dns_name
}

output "target_group_arn" {
  description = "ARN of the target group."
  value       = module.alb.target_group_arn
}
