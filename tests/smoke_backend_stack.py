"""One backend stack as the smoke checks' describe calls see it, shaped like a good stack.

The wiring tests (tests/unit/test_smoke_backend_wiring.py) break it one edit at a time;
the session tests (tests/unit/test_smoke_backend_session.py) answer boto3's calls from it.
"""

from __future__ import annotations

ACCOUNT = "123456789012"
LB_ARN = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:loadbalancer/app/lms-dev/abc123"
TG_ARN = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/lmsdev/def456"
OTHER_TG = f"arn:aws:elasticloadbalancing:us-east-1:{ACCOUNT}:targetgroup/other/999"
CERT = f"arn:aws:acm:us-east-1:{ACCOUNT}:certificate/good"
NAME = "lms-dev-backend"
DOMAIN = "api.dev.acme-lms.com"
LB_DNS = "lms-dev-123.us-east-1.elb.amazonaws.com"
LB_SG, SERVICE_SG = "sg-lb", "sg-service"
PORT = 4000
TASK_ARN = f"arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/{NAME}:3"
LABEL = "app/lms-dev/abc123/targetgroup/lmsdev/def456"

OUTPUTS = {
    "cluster_name": NAME,
    "service_name": NAME,
    "container_name": "app",
    "container_port": PORT,
    "target_group_arn": TG_ARN,
    "lb_dns_name": LB_DNS,
    "domain_name": DOMAIN,
    "ecr_repository_url": f"{ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/lms-backend",
    "log_group_name": f"/ecs/{NAME}",
    "log_retention_days": 30,
    "task_definition_family": NAME,
}


def sg_rule(group, egress, port, peer) -> dict:
    rule = {"GroupId": group, "IsEgress": egress, "IpProtocol": "tcp"}
    rule.update(FromPort=port, ToPort=port)
    if peer.startswith("sg-"):
        rule["ReferencedGroupInfo"] = {"GroupId": peer}
    elif ":" in peer:
        rule["CidrIpv6"] = peer
    else:
        rule["CidrIpv4"] = peer
    return rule


GOOD = {
    "service": {
        "serviceName": NAME,
        "status": "ACTIVE",
        "launchType": "FARGATE",
        "desiredCount": 1,
        "runningCount": 1,
        "taskDefinition": TASK_ARN,
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": True, "rollback": True},
            "minimumHealthyPercent": 100,
            "maximumPercent": 200,
        },
        "loadBalancers": [
            {"targetGroupArn": TG_ARN, "containerName": "app", "containerPort": PORT}
        ],
        "networkConfiguration": {
            "awsvpcConfiguration": {
                "subnets": ["subnet-a", "subnet-b"],
                "securityGroups": [SERVICE_SG],
            }
        },
    },
    "load_balancer": {"LoadBalancerArn": LB_ARN, "DNSName": LB_DNS, "SecurityGroups": [LB_SG]},
    "listeners": [
        {
            "Port": 443,
            "Protocol": "HTTPS",
            "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
            "Certificates": [{"CertificateArn": CERT}],
            "DefaultActions": [{"Type": "forward", "TargetGroupArn": TG_ARN}],
        },
        {
            "Port": 80,
            "Protocol": "HTTP",
            "DefaultActions": [
                {
                    "Type": "redirect",
                    "RedirectConfig": {
                        "Protocol": "HTTPS",
                        "Port": "443",
                        "StatusCode": "HTTP_301",
                    },
                }
            ],
        },
    ],
    "target_group": {"TargetType": "ip", "Port": PORT, "LoadBalancerArns": [LB_ARN]},
    "certificates": {
        CERT: {"DomainName": DOMAIN, "SubjectAlternativeNames": [DOMAIN], "Status": "ISSUED"}
    },
    "rules": [
        *(sg_rule(LB_SG, False, p, src) for p in (80, 443) for src in ("0.0.0.0/0", "::/0")),
        sg_rule(LB_SG, True, PORT, SERVICE_SG),
        sg_rule(SERVICE_SG, False, PORT, LB_SG),
    ],
    "task_definition": {
        "family": NAME,
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "containerDefinitions": [
            {
                "name": "app",
                "portMappings": [{"containerPort": PORT}],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {"awslogs-group": f"/ecs/{NAME}"},
                },
            }
        ],
    },
    "log_groups": [{"logGroupName": f"/ecs/{NAME}", "retentionInDays": 30}],
    "scalable_targets": [{"MinCapacity": 1, "MaxCapacity": 4}],
    "scaling_policies": [
        {
            "TargetTrackingScalingPolicyConfiguration": {
                "TargetValue": 100.0,
                "PredefinedMetricSpecification": {
                    "PredefinedMetricType": "ALBRequestCountPerTarget",
                    "ResourceLabel": LABEL,
                },
            }
        }
    ],
    "repositories": {
        "lms-backend": {
            "imageScanningConfiguration": {"scanOnPush": True},
            "encryptionConfiguration": {"encryptionType": "AES256"},
            "imageTagMutability": "IMMUTABLE",
        }
    },
    "lifecycle_rules": [
        {"selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countNumber": 1}},
        {
            "selection": {
                "tagStatus": "tagged",
                "countType": "imageCountMoreThan",
                "countNumber": 20,
            }
        },
    ],
    "zones": [{"Id": "/hostedzone/Z1", "Name": "dev.acme-lms.com.", "Config": {}}],
    "records": [
        {
            "Name": f"{DOMAIN}.",
            "Type": "A",
            "AliasTarget": {"DNSName": f"dualstack.{LB_DNS}."},
        }
    ],
}
