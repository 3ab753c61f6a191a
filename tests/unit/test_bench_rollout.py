"""Rollout time implied by the settings, from a root's plan JSON."""

import pytest

from bench import rollout


def plan_with(target_groups, services):
    """A plan JSON whose resources sit in nested modules, as in the live roots."""

    def resource(kind, values):
        return {"mode": "managed", "type": kind, "values": values}

    return {
        "planned_values": {
            "root_module": {
                "resources": [resource("aws_s3_bucket", {})],
                "child_modules": [
                    {"resources": [resource(rollout.TARGET_GROUP, v) for v in target_groups]},
                    {
                        "resources": [],
                        "child_modules": [
                            {"resources": [resource(rollout.SERVICE, v) for v in services]}
                        ],
                    },
                ],
            }
        }
    }


def test_settings_are_read_from_nested_modules():
    tg = {"deregistration_delay": "30", "health_check": [{"interval": 10, "healthy_threshold": 3}]}
    settings = rollout.rollout_settings(
        plan_with([tg], [{"health_check_grace_period_seconds": 20}])
    )
    assert settings == rollout.RolloutSettings(10, 3, 30, 20)
    assert settings.health_checks_seconds == 30
    assert settings.total_seconds == 80


def test_unset_settings_take_the_aws_defaults():
    settings = rollout.rollout_settings(plan_with([{}], [{}]))
    assert settings == rollout.AWS_DEFAULTS
    assert rollout.AWS_DEFAULTS.total_seconds == 30 * 5 + 300


def test_the_worst_target_group_and_longest_grace_period_count():
    fast = {"deregistration_delay": "5", "health_check": [{"interval": 5, "healthy_threshold": 2}]}
    slow = {
        "deregistration_delay": "60",
        "health_check": [{"interval": 15, "healthy_threshold": 2}],
    }
    services = [
        {"health_check_grace_period_seconds": 10},
        {"health_check_grace_period_seconds": 30},
    ]
    settings = rollout.rollout_settings(plan_with([fast, slow], services))
    assert settings.total_seconds == 15 * 2 + 60 + 30


def test_a_plan_without_a_target_group_or_service_is_an_error():
    with pytest.raises(ValueError, match="0 aws_lb_target_group and 1 aws_ecs_service"):
        rollout.rollout_settings(plan_with([], [{}]))
