output "bucket_name" {
  description = "Name of the site bucket; lmsops publish uploads here."
  value       = module.site.bucket_name
}

output "website_endpoint" {
  description = "S3 website endpoint of the site bucket."
  value       = module.site.website_endpoint
}

output "site_url" {
  description = "URL the site is served at."
  value       = module.site.site_url
}

output "redirect_bucket_name" {
  description = "Name of the www. redirect bucket, or null."
  value       = module.site.redirect_bucket_name
}
