region            = "us-east-1"
state_bucket_name = "acme-lms-tfstate-4f2a9c1e"
locking           = "dynamodb"
hosted_zones      = ["acme-lms.com"]
