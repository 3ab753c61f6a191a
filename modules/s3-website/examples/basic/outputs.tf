output "bucket_name" {
  description = "Name of the website bucket."
  value       = module.site.bucket_name
}

output "website_endpoint" {
  description = "S3 website endpoint."
  value       = module.site.website_endpoint
}

output "site_url" {
  description = "URL of the site."
  value       = module.site.site_url
}
