# The alias target of an S3 website is the region's website domain and the
# region's S3 website hosted zone; S3 then routes by Host header to the bucket
# with that exact name, which is why the bucket is named as the domain.
resource "aws_route53_record" "site" {
  count = var.create_dns_records ? 1 : 0

  zone_id = var.zone_id
  name    = var.domain_name
  type    = "A"

  alias {
    name                   = var.enable_cloudfront ? one(aws_cloudfront_distribution.site[*].domain_name) : aws_s3_bucket_website_configuration.site.website_domain
    zone_id                = var.enable_cloudfront ? one(aws_cloudfront_distribution.site[*].hosted_zone_id) : aws_s3_bucket.site.hosted_zone_id
    evaluate_target_health = false
  }

  lifecycle {
    precondition {
      condition     = var.zone_id != null
      error_message = "zone_id must be set when create_dns_records is true, e.g. Z0123456789ABCDEFGHIJ."
    }
  }
}

resource "aws_route53_record" "site_ipv6" {
  count = var.create_dns_records && var.enable_cloudfront ? 1 : 0

  zone_id = var.zone_id
  name    = var.domain_name
  type    = "AAAA"

  alias {
    name                   = one(aws_cloudfront_distribution.site[*].domain_name)
    zone_id                = one(aws_cloudfront_distribution.site[*].hosted_zone_id)
    evaluate_target_health = false
  }
}

resource "aws_route53_record" "www" {
  count = var.create_dns_records && var.redirect_www ? 1 : 0

  zone_id = var.zone_id
  name    = local.www_domain_name
  type    = "A"

  alias {
    name                   = aws_s3_bucket_website_configuration.www[0].website_domain
    zone_id                = aws_s3_bucket.www[0].hosted_zone_id
    evaluate_target_health = false
  }
}
