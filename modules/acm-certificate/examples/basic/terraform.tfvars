region             = "us-east-1"
certificate_region = "us-east-1"
