region             = "us-east-1"
certificate_region = "us-east-1"
environment        = "prod"
zone_name          = "acme-lms.com"
domain_name        = "acme-lms.com"
index_document     = "index.html"
error_document     = "404.html"
single_page_app    = false
force_destroy      = false
versioning_enabled = true
redirect_www       = true
enable_cloudfront  = false

# Single-account default: any account. In a multi-account layout name the prod account here
# (and the role to assume in it); an apply with other credentials then stops at once.
allowed_account_ids = []
assume_role_arn     = null
