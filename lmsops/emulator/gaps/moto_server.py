"""moto's server as a whole (every service): one request at a time, 501 for what moto lacks."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from flask import Response, request
from moto.backends import SERVICE_NAMES
from moto.moto_server import werkzeug_app
from werkzeug.exceptions import HTTPException

_request_lock = threading.Lock()


def serialize_requests(app: Callable) -> Callable:
    """Gap: moto's backends are not thread-safe, but its server is threaded.

    AWS applies each API call atomically. moto updates shared lists with
    read-modify-write (e.g. `group.egress_rules = [r for r in ... if ...]` in
    RevokeSecurityGroupEgress), and Terraform sends up to ten calls at once, so two
    calls on one resource can lose an update (seen: a destroy failing with
    InvalidPermission.NotFound for a rule Terraform had created). The emulator now
    answers one request at a time; moto answers each in milliseconds, and the
    response body is read inside the lock so no handler runs outside it.
    """

    def serialized(environ: dict, start_response: Callable) -> list[bytes]:
        with _request_lock:
            return list(app(environ, start_response))

    return serialized


def fail_fast_on_unimplemented_actions() -> None:
    """Gap: an action moto does not implement (or crashes on) answers HTTP 500, which is retried.

    AWS answers a request it does not support with a client-visible error rather than
    an internal one (e.g. S3's 501 NotImplemented), and never fails the same request
    with a 500 every time. moto raises NotImplementedError for a missing action and lets
    other exceptions of its own escape (e.g. a KeyError on an optional parameter); its
    server turns both into a 500. The AWS SDKs treat 500 as transient, and the Terraform
    AWS provider retries it 25 times with back-off (AWS_MAX_ATTEMPTS does not lower
    that), so a missing feature looks like a hang. Both now answer 501 (not retried by
    botocore or the Go SDK) with the reason in the body (code NotImplemented or
    EmulatorError), so an emulator gap fails in seconds and says what is missing.
    Errors moto means to return (HTTP errors, AWS error responses) are unchanged.
    """
    original_factory = werkzeug_app.create_backend_app

    def create_backend_app(service: SERVICE_NAMES) -> Any:
        app = original_factory(service)
        app.register_error_handler(Exception, emulator_error_response)
        return app

    werkzeug_app.create_backend_app = create_backend_app


def emulator_error_response(error: Exception) -> Any:
    """A 501 in the error format of the request's protocol (JSON or XML)."""
    if isinstance(error, HTTPException):
        return error  # an HTTP error moto raised on purpose
    if isinstance(error, NotImplementedError):
        code = "NotImplemented"
        reason = str(error) or "This operation is not implemented."
        message = f"{reason} (lmsops emulator: moto does not implement this)"
    else:
        code = "EmulatorError"
        message = (
            f"lmsops emulator: moto failed on this request with {type(error).__name__}: "
            f"{error}; see the emulator log"
        )
        logging.getLogger(__name__).exception("moto failed on %s %s", request.method, request.url)
    if "json" in request.headers.get("Content-Type", ""):
        body = json.dumps({"__type": code, "message": message})
        mimetype = "application/x-amz-json-1.1"
    else:
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{code}</Code><Message>{xml_escape(message)}</Message></Error>"
        )
        mimetype = "application/xml"
    response = Response(body, status=501, mimetype=mimetype)
    response.headers["x-amzn-ErrorType"] = code
    return response
