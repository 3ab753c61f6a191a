"""Each `lmsops emulator ACTION --help` describes the action; `stop` warns what it discards."""

from __future__ import annotations

import pytest

from lmsops import cli


def help_of(action: str, capsys) -> str:
    with pytest.raises(SystemExit) as exited:
        cli.main(["emulator", action, "--help"])
    assert exited.value.code == 0
    usage_and_description = capsys.readouterr().out.split("options:")[0]
    return " ".join(usage_and_description.split("\n", 2)[-1].split())


@pytest.mark.parametrize(
    ("action", "says"),
    [
        ("start", "A new emulator is empty"),
        ("stop", "DISCARDS EVERYTHING it holds"),
        ("status", "Exits 2 when none runs"),
        ("env", 'eval "$(lmsops emulator env)"'),
        ("push-image", "only <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>"),
    ],
)
def test_every_emulator_action_has_a_description(action, says, capsys):
    assert says in help_of(action, capsys)
