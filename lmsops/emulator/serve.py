"""The emulator process: moto's server app, with the gap fills, over HTTPS.

    python -m lmsops.emulator.serve --host 127.0.0.1 --port N --cert C --key K

`Emulator.start()` runs this detached (after checking the moto version); it is also
usable by hand.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from moto.moto_server import werkzeug_app
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler
from werkzeug.serving import run_simple

from lmsops.emulator import gaps
from lmsops.emulator.gaps import moto_server, retries
from lmsops.emulator.moto_version import moto_version_problem


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m lmsops.emulator.serve", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cert", required=True, help="PEM certificate")
    parser.add_argument("--key", required=True, help="PEM private key")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    problem = moto_version_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    # The gap fills set moto's environment-driven settings, so they go before moto's app.
    gaps.apply()
    os.environ.setdefault("MOTO_PORT", str(args.port))  # as moto_server does
    # Looked up after apply(): a gap fill wraps moto's per-service app factory.
    create_backend_app = werkzeug_app.create_backend_app

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # One request at a time, and a retry of an answered call gets the first answer.
    app = moto_server.serialize_requests(
        retries.answer_retries_once(DomainDispatcherApplication(create_backend_app))
    )
    run_simple(
        args.host,
        args.port,
        app,
        threaded=True,
        ssl_context=(args.cert, args.key),
        request_handler=MotoRequestHandler,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
