output "url" {
  description = "HTTPS URL of the backend domain."
  value       = "https://${var.domain_name}"
}

output "lb_arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "lb_arn_suffix" {
  description = "ARN suffix of the load balancer (app/NAME/ID), used in CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "lb_dns_name" {
  description = "DNS name of the load balancer."
  value       = aws_lb.this.dns_name
}

output "lb_zone_id" {
  description = "Route53 zone ID of the load balancer, for alias records."
  value       = aws_lb.this.zone_id
}

output "security_group_id" {
  description = "ID of the load balancer security group."
  value       = aws_security_group.this.id
}

output "target_group_arn" {
  description = "ARN of the target group; available once the HTTPS listener forwards to it."
  value       = aws_lb_target_group.this.arn
  # ECS refuses to attach a service to a target group no load balancer listener uses yet.
  depends_on = [aws_lb_listener.https]
}

output "target_group_arn_suffix" {
  description = "ARN suffix of the target group (targetgroup/NAME/ID), used in CloudWatch metrics."
  value       = aws_lb_target_group.this.arn_suffix
}

output "target_group_name" {
  description = "Name of the target group."
  value       = aws_lb_target_group.this.name
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener."
  value       = aws_lb_listener.https.arn
}

output "http_listener_arn" {
  description = "ARN of the HTTP listener that redirects to HTTPS."
  value       = aws_lb_listener.http.arn
}

output "certificate_arn" {
  description = "ARN of the issued ACM certificate."
  value       = module.certificate.validated_arn
}

output "health_check" {
  description = "Effective target group health check settings."
  value       = var.health_check
}

output "deregistration_delay" {
  description = "Seconds a deregistering target drains."
  value       = var.deregistration_delay
}

output "access_logs_bucket" {
  description = "Name of the bucket that receives the access logs; null when access logs are off."
  value       = one(aws_s3_bucket.access_logs[*].id)
}

output "strict_transport_security" {
  description = "Value of the Strict-Transport-Security header the HTTPS listener sends."
  value       = local.strict_transport_security
}
