output "web_acl_arn" {
  description = "ARN of the web ACL."
  value       = aws_wafv2_web_acl.this.arn
}

output "web_acl_name" {
  description = "Name of the web ACL."
  value       = aws_wafv2_web_acl.this.name
}

output "rule_names" {
  description = "Names of the web ACL's rules, in priority order."
  value       = [for rule in sort([for r in aws_wafv2_web_acl.this.rule : format("%05d %s", r.priority, r.name)]) : split(" ", rule)[1]]
}
