"""SIGTERM handled like Ctrl-C, so a deploy stopped by CI or a shell says where it left off."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program was, like SIGINT's KeyboardInterrupt."""


def signal_name(interrupt: BaseException) -> str:
    return "SIGTERM" if isinstance(interrupt, Terminated) else "SIGINT"


def exit_code(signal_text: str) -> int:
    """128 + the signal number, as a shell reports a process the signal ended."""
    return 128 + int(getattr(signal, signal_text, signal.SIGINT))


@contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block, SIGTERM raises Terminated (main thread only, like any handler)."""

    def handler(signum, frame):
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
