# Optional HTTPS front: CloudFront in front of the S3 website endpoint (HTTP
# only, so the origin is a custom origin) with an ACM certificate, which
# CloudFront only accepts from us-east-1, hence the aws.us_east_1 provider.

data "aws_region" "certificate" {
  count    = var.enable_cloudfront ? 1 : 0
  provider = aws.us_east_1
}

resource "aws_acm_certificate" "site" {
  count    = var.enable_cloudfront ? 1 : 0
  provider = aws.us_east_1

  domain_name       = var.domain_name
  validation_method = "DNS"
  tags              = var.tags

  lifecycle {
    create_before_destroy = true

    precondition {
      condition     = var.zone_id != null
      error_message = "zone_id must be set when enable_cloudfront is true (the certificate is validated through DNS), e.g. Z0123456789ABCDEFGHIJ."
    }

    precondition {
      condition     = one(data.aws_region.certificate[*].name) == "us-east-1"
      error_message = "enable_cloudfront needs the aws.us_east_1 provider configured with region us-east-1 (CloudFront only uses ACM certificates from there); it is ${coalesce(one(data.aws_region.certificate[*].name), "unset")}. Pass a provider configured with region = \"us-east-1\", e.g. providers = { aws.us_east_1 = aws.us_east_1 }."
    }
  }
}

resource "aws_route53_record" "certificate_validation" {
  for_each = {
    for option in flatten(aws_acm_certificate.site[*].domain_validation_options) : option.domain_name => {
      name   = option.resource_record_name
      type   = option.resource_record_type
      record = option.resource_record_value
    }
  }

  zone_id         = var.zone_id
  name            = each.value.name
  type            = each.value.type
  records         = [each.value.record]
  ttl             = 60
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "site" {
  count    = var.enable_cloudfront ? 1 : 0
  provider = aws.us_east_1

  certificate_arn         = aws_acm_certificate.site[0].arn
  validation_record_fqdns = [for record in aws_route53_record.certificate_validation : record.fqdn]
}

resource "aws_cloudfront_response_headers_policy" "site" {
  # checkov:skip=CKV_AWS_259: HSTS preload stays off: it hard-codes HTTPS for the whole registrable domain in browsers for months, breaking HTTP-only siblings (a website endpoint without CloudFront, e.g. dev.); the domain owner opts in, not this module.
  count = var.enable_cloudfront ? 1 : 0

  name    = "${replace(var.domain_name, ".", "-")}-security-headers"
  comment = "Security headers for ${var.domain_name}"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      preload                    = false
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
  }
}

resource "aws_cloudfront_distribution" "site" {
  # checkov:skip=CKV_AWS_68: WAF is optional through web_acl_id; a public static site has no forms or API to protect.
  # checkov:skip=CKV2_AWS_47: WAF is optional through web_acl_id; static content is not exposed to Log4j.
  # checkov:skip=CKV_AWS_86: Access logs need a log bucket with ACLs; left to the account's central logging.
  # checkov:skip=CKV_AWS_310: One origin (the website bucket); origin failover needs a replica bucket.
  # checkov:skip=CKV_AWS_374: The LMS site is served worldwide; no geo restriction.
  # checkov:skip=CKV2_AWS_46: The origin is the S3 website endpoint (custom origin), which cannot use origin access control.
  count = var.enable_cloudfront ? 1 : 0

  enabled             = true
  is_ipv6_enabled     = true
  comment             = var.domain_name
  aliases             = [var.domain_name]
  default_root_object = var.index_document
  price_class         = var.cloudfront_price_class
  web_acl_id          = var.web_acl_id
  tags                = var.tags

  origin {
    origin_id   = "s3-website"
    domain_name = aws_s3_bucket_website_configuration.site.website_endpoint

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "http-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id           = "s3-website"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    viewer_protocol_policy     = "redirect-to-https"
    compress                   = true
    response_headers_policy_id = aws_cloudfront_response_headers_policy.site[0].id

    # Honour the Cache-Control each object was published with.
    min_ttl     = 0
    default_ttl = 300
    max_ttl     = 31536000

    forwarded_values {
      query_string = false

      cookies {
        forward = "none"
      }
    }
  }

  dynamic "custom_error_response" {
    for_each = var.single_page_app ? [404, 403] : []

    content {
      error_code            = custom_error_response.value
      response_code         = 200
      response_page_path    = "/${var.index_document}"
      error_caching_min_ttl = 0
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate_validation.site[0].certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}
