output "bucket_name" {
  description = "Name of the website bucket (equal to domain_name)."
  value       = aws_s3_bucket.site.id
}

output "bucket_arn" {
  description = "ARN of the website bucket."
  value       = aws_s3_bucket.site.arn
}

output "website_endpoint" {
  description = "S3 website endpoint of the bucket (HTTP only), e.g. <bucket>.s3-website-<region>.amazonaws.com."
  value       = aws_s3_bucket_website_configuration.site.website_endpoint
}

output "website_domain" {
  description = "Regional S3 website domain, the alias target of the site record."
  value       = aws_s3_bucket_website_configuration.site.website_domain
}

output "website_hosted_zone_id" {
  description = "Route53 hosted zone id of the regional S3 website endpoint."
  value       = aws_s3_bucket.site.hosted_zone_id
}

output "site_url" {
  description = "URL the site is served at: https://<domain> with CloudFront, http://<domain> with DNS records, else the website endpoint."
  value = (
    var.enable_cloudfront ? "https://${var.domain_name}" :
    var.create_dns_records ? "http://${var.domain_name}" :
    "http://${aws_s3_bucket_website_configuration.site.website_endpoint}"
  )
}

output "redirect_bucket_name" {
  description = "Name of the www. redirect bucket, or null when redirect_www is false."
  value       = one(aws_s3_bucket.www[*].id)
}

output "cloudfront_distribution_id" {
  description = "Id of the CloudFront distribution, or null when enable_cloudfront is false."
  value       = one(aws_cloudfront_distribution.site[*].id)
}

output "cloudfront_domain_name" {
  description = "Domain name of the CloudFront distribution, or null when enable_cloudfront is false."
  value       = one(aws_cloudfront_distribution.site[*].domain_name)
}

output "certificate_arn" {
  description = "ARN of the validated ACM certificate (us-east-1), or null when enable_cloudfront is false."
  value       = one(module.certificate[*].validated_arn)
}
