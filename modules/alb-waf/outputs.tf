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
  value       = concat([for key in ["common", "known_bad_inputs"] : local.managed_rule_groups[key].name], ["rate-limit-per-ip"])
}
