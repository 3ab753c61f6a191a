output "web_acl_arn" {
  description = "ARN of the web ACL."
  value       = module.waf.web_acl_arn
}
