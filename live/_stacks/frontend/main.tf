data "aws_route53_zone" "main" {
  name         = var.zone_name
  private_zone = false
}

module "site" {
  source = "../../../modules/s3-website"

  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  domain_name        = var.domain_name
  index_document     = var.index_document
  error_document     = var.error_document
  single_page_app    = var.single_page_app
  force_destroy      = var.force_destroy
  versioning_enabled = var.versioning_enabled
  create_dns_records = true
  zone_id            = data.aws_route53_zone.main.zone_id
  redirect_www       = var.redirect_www
  enable_cloudfront  = var.enable_cloudfront

  tags = { Component = "frontend" }
}
