"""Repository conventions from DESIGN.md, checked on the code rather than trusted."""

import re

import hcl2
import pytest

from lmsops import roots, toolchain

REPO = toolchain.REPO_ROOT
MODULES = roots.module_dirs()
LIVE = roots.live_roots()
ALL_ROOTS = [REPO / "bootstrap", *LIVE, *roots.example_roots()]
# Emulator wiring belongs in the environment (AWS_ENDPOINT_URL, ...), never in the code.
EMULATOR_HINTS = re.compile(
    r"\bmoto\b|endpoints\s*\{|skip_credentials_validation|skip_requesting_account_id"
    r"|skip_metadata_api_check|access_key\s*=|secret_key\s*=|s3_use_path_style\s*=\s*true"
)


def tf_files(folder):
    return sorted(folder.glob("*.tf"))


def parsed(folder) -> list[dict]:
    result = []
    for tf in tf_files(folder):
        with tf.open() as handle:
            result.append(hcl2.load(handle))
    return result


def test_there_are_live_roots_for_dev_and_prod():
    envs = {root.parent.name for root in LIVE}
    assert {"dev", "prod"} <= envs


# Which constraints (>= in modules, ~> in roots): tests/lint/test_version_constraints.py.
@pytest.mark.parametrize("folder", [*MODULES, *ALL_ROOTS], ids=lambda p: str(p.relative_to(REPO)))
def test_versions_declare_terraform_and_only_the_aws_provider(folder):
    text = (folder / "versions.tf").read_text()
    assert re.search(r'required_version\s*=\s*"[^"]*1\.5\.7"', text)
    assert re.search(r'source\s*=\s*"hashicorp/aws"', text)
    assert re.search(r'version\s*=\s*"(>=|~>) 5\.100"', text)
    providers = re.findall(r"^\s*(\w+)\s*=\s*\{\s*$", text, re.M)
    assert set(providers) <= {"aws", "required_providers"}, "only hashicorp/aws is available"


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_modules_never_configure_a_provider(module):
    assert not any("provider" in doc for doc in parsed(module))


@pytest.mark.parametrize("folder", [*MODULES, *ALL_ROOTS], ids=lambda p: str(p.relative_to(REPO)))
def test_every_variable_has_type_and_description(folder):
    for doc in parsed(folder):
        for block in doc.get("variable", []):
            for name, body in block.items():
                assert "type" in body, f"{folder.name}: variable {name} has no type"
                assert body.get("description"), f"{folder.name}: variable {name} undescribed"
                for rule in body.get("validation", []):
                    assert name in rule["error_message"][0], (
                        f"{folder.name}: validation message of {name} does not name it"
                    )


@pytest.mark.parametrize("root", ALL_ROOTS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_root_commits_its_lock_file(root):
    lock = root / ".terraform.lock.hcl"
    assert lock.is_file(), f"{root}: commit .terraform.lock.hcl"
    assert 'provider "registry.terraform.io/hashicorp/aws"' in lock.read_text()


def test_each_live_root_has_its_own_state_key():
    keys = {}
    for root in LIVE:
        backend = hcl2.load((root / "backend.tf").open())["terraform"][0]["backend"][0]["s3"]
        assert set(backend) == {"key"}, f"{root}: only the key belongs in backend.tf"
        keys[root] = backend["key"][0] if isinstance(backend["key"], list) else backend["key"]
        expected = f"{root.parent.name}/{root.name}/terraform.tfstate"
        assert keys[root] == expected, f"{root}: key {keys[root]} should be {expected}"
    assert len(set(keys.values())) == len(keys)


@pytest.mark.parametrize("root", LIVE, ids=lambda p: str(p.relative_to(REPO)))
def test_live_roots_keep_values_in_committed_tfvars(root):
    assert (root / "terraform.tfvars").is_file()
    declared = {
        name
        for doc in parsed(root)
        for block in doc.get("variable", [])
        for name, body in block.items()
        if "default" not in body
    }
    with (root / "terraform.tfvars").open() as handle:
        given = set(hcl2.load(handle))
    assert declared <= given, f"{root}: no value for {sorted(declared - given)}"


@pytest.mark.parametrize("folder", [*MODULES, *ALL_ROOTS], ids=lambda p: str(p.relative_to(REPO)))
def test_no_emulator_specific_code(folder):
    for tf in [*tf_files(folder), *folder.glob("*.tfvars")]:
        assert not EMULATOR_HINTS.search(tf.read_text()), f"{tf} mentions the emulator"


def test_every_checkov_skip_says_why():
    skip = re.compile(r"checkov:skip=(?P<id>[A-Z0-9_]+)(?::\s*(?P<why>.*))?")
    for tf in REPO.glob("*/**/*.tf"):
        if ".terraform" in tf.parts or ".tox" in tf.parts:
            continue
        for number, line in enumerate(tf.read_text().splitlines(), 1):
            for match in skip.finditer(line):
                why = (match.group("why") or "").strip()
                assert len(why) >= 10, (
                    f"{tf}:{number}: {match.group('id')} skipped without a reason"
                )
