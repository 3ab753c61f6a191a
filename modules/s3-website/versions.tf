terraform {
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100"
      # CloudFront only accepts ACM certificates issued in us-east-1; the root
      # passes a provider for that region even when CloudFront is off.
      configuration_aliases = [aws.us_east_1]
    }
  }
}
