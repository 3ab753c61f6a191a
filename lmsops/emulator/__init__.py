"""Local AWS emulator: moto in server mode over HTTPS, with the extensions this project needs.

`Emulator(state_dir).start()` returns an `EmulatorInfo` whose `env()` points AWS SDKs and
Terraform at it; `lmsops emulator start|stop|status|env` drives it from a shell.
"""

from lmsops.emulator.server import Emulator, EmulatorInfo

__all__ = ["Emulator", "EmulatorInfo"]
