# The zone is found among the account's zones rather than looked up by name: a name
# lookup that finds nothing fails with the provider's own error, which does not say
# which input to fix. Route53 lists few zones per account, so this costs a few reads.
data "aws_route53_zones" "all" {}

data "aws_route53_zone" "listed" {
  for_each = toset(data.aws_route53_zones.all.ids)

  zone_id = each.value
}

locals {
  public_zone_ids = { for id, zone in data.aws_route53_zone.listed : trimsuffix(zone.name, ".") => id... if !zone.private_zone }
}

data "aws_route53_zone" "main" {
  zone_id = try(one(local.public_zone_ids[var.zone_name]), null)

  # What only this root knows is checked here, before anything is read or created.
  lifecycle {
    precondition {
      condition     = length(lookup(local.public_zone_ids, var.zone_name, [])) == 1
      error_message = "zone_name ${var.zone_name} must name exactly one public hosted zone of this account (found ${length(lookup(local.public_zone_ids, var.zone_name, []))}): create it with bootstrap/ (hosted_zones = [\"${var.zone_name}\"]) or fix zone_name, e.g. acme-lms.com."
    }

    precondition {
      condition     = var.domain_name == var.zone_name || endswith(var.domain_name, ".${var.zone_name}")
      error_message = "domain_name ${var.domain_name} must be inside zone_name ${var.zone_name} (equal to it or ending in .${var.zone_name}), e.g. dev.${var.zone_name}: Route53 refuses a record outside its zone only after the bucket exists."
    }

    precondition {
      condition     = var.environment != "prod" || !var.force_destroy
      error_message = "force_destroy must be false in prod: destroying the environment must not delete the published site with it, e.g. force_destroy = false."
    }

    precondition {
      condition     = var.environment != "prod" || var.versioning_enabled
      error_message = "versioning_enabled must be true in prod: previous object versions are how a bad publish is rolled back, e.g. versioning_enabled = true."
    }
  }
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
