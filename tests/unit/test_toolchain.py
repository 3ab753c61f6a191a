"""The project's Terraform toolchain: CLI config, offline mirror, plugin cache, clear errors."""

import threading

import pytest

from lmsops import cli, toolchain
from lmsops.errors import UserError


def test_cli_config_uses_the_mirror_for_hashicorp_and_the_registry_for_the_rest(tmp_path):
    text = toolchain.render_cli_config(tmp_path / "mirror", tmp_path / "cache")
    assert f'plugin_cache_dir = "{tmp_path / "cache"}"' in text
    assert f'path    = "{tmp_path / "mirror"}"' in text
    assert 'exclude = ["registry.terraform.io/hashicorp/*"]' in text


def test_an_unpacked_mirror_gets_no_plugin_cache_a_packed_one_and_the_registry_do(tmp_path):
    unpacked = tmp_path / "unpacked"
    platform = unpacked / toolchain.PROVIDER_SOURCE / "5.100.0" / "linux_amd64"
    platform.mkdir(parents=True)
    (platform / "terraform-provider-aws_v5.100.0_x5").write_text("")
    packed = tmp_path / "packed"
    (packed / toolchain.PROVIDER_SOURCE).mkdir(parents=True)
    (
        packed / toolchain.PROVIDER_SOURCE / "terraform-provider-aws_5.100.0_linux_amd64.zip"
    ).write_text("")
    assert not toolchain.uses_plugin_cache(unpacked)
    assert toolchain.uses_plugin_cache(packed)
    assert toolchain.uses_plugin_cache(None)
    assert "plugin_cache_dir" not in toolchain.render_cli_config(unpacked, None)


def test_parallel_inits_on_an_unpacked_mirror_share_no_plugin_cache(tmp_path, monkeypatch):
    """Terraform re-links a cache entry on every init; with a shared one, a parallel
    init's provider vanished mid-run (fork/exec ...: no such file or directory)."""
    monkeypatch.setenv(toolchain.CACHE_ENV, str(tmp_path / "cache"))
    mirror = toolchain.find_provider_mirror()
    assert mirror is not None and not toolchain.uses_plugin_cache(mirror)
    config = toolchain.write_cli_config().read_text()
    assert "plugin_cache_dir" not in config
    assert f'path    = "{mirror}"' in config
    assert not (tmp_path / "cache" / "plugin-cache").exists()


def test_cli_config_without_a_mirror_installs_from_the_registry(tmp_path):
    text = toolchain.render_cli_config(None, tmp_path / "cache")
    assert "filesystem_mirror" not in text
    assert "direct {}" in text


def test_mirror_variable_pointing_nowhere_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv(toolchain.MIRROR_ENV, str(tmp_path))
    with pytest.raises(UserError, match=toolchain.MIRROR_ENV):
        toolchain.find_provider_mirror()


def test_missing_terraform_is_one_clear_message(monkeypatch, capsys):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert cli.main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "terraform was not found on PATH" in err
    assert "Traceback" not in err


def test_unusable_provider_is_one_clear_message(tmp_path, monkeypatch, capsys):
    empty_mirror = tmp_path / "mirror"
    (empty_mirror / toolchain.PROVIDER_SOURCE).mkdir(parents=True)
    monkeypatch.setenv(toolchain.MIRROR_ENV, str(empty_mirror))
    monkeypatch.setenv(toolchain.CACHE_ENV, str(tmp_path / "cache"))
    assert cli.main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "could not install the hashicorp/aws provider" in err
    assert str(empty_mirror) in err
    assert "Traceback" not in err


def test_parallel_first_use_fills_a_packed_mirrors_plugin_cache_once(tmp_path, monkeypatch):
    monkeypatch.setenv(toolchain.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(toolchain, "uses_plugin_cache", lambda mirror: True)
    errors = []

    def first_use():
        try:
            toolchain.terraform_env()
        except UserError as exc:  # pragma: no cover - the failure being tested for
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    cached = list((tmp_path / "cache" / "plugin-cache" / toolchain.PROVIDER_SOURCE).iterdir())
    assert len(cached) == 1, cached  # one provider version, unpacked once
