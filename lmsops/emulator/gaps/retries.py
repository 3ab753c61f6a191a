"""Gap: a retried request whose first attempt was applied is applied again.

AWS SDKs retry a call whose answer they did not get (a timeout, a reset connection) and
mark each attempt: every attempt of one call carries the same `amz-sdk-invocation-id`
header and `amz-sdk-request: attempt=N; max=M`. On AWS a lost answer is rare; on this
machine, with two cores and several Terraform runs at once, the emulator sometimes answers
after the client gave up, so the retry of a call that did succeed fails: a state-lock
PutItem retried against its own lock ("ConditionalCheckFailedException", the lock then
left behind), a revoked security-group rule revoked again ("InvalidPermission.NotFound"),
a deleted target group deleted again ("TargetGroupNotFound"). Emulated: the answer to each
invocation is kept (a bounded number of recent ones); a later attempt of an invocation that
was answered below 500 gets that same answer and is not applied a second time. An attempt
whose first answer was a server error is applied again, as a retry should be.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

KEPT_ANSWERS = 1024
LARGEST_KEPT_BODY = 1024 * 1024
ATTEMPT = re.compile(r"attempt=(\d+)")

Answer = tuple[str, list[tuple[str, str]], list[bytes]]


def attempt_number(header: str) -> int:
    """The N of `attempt=N; max=M`; 1 when the header is absent or malformed."""
    match = ATTEMPT.search(header or "")
    return int(match.group(1)) if match else 1


class AnsweredInvocations:
    """The most recent answers, by SDK invocation id."""

    def __init__(self, size: int = KEPT_ANSWERS) -> None:
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, invocation: str) -> Answer | None:
        with self._lock:
            return self._answers.get(invocation)

    def keep(self, invocation: str, answer: Answer) -> None:
        with self._lock:
            self._answers[invocation] = answer
            self._answers.move_to_end(invocation)
            while len(self._answers) > self._size:
                self._answers.popitem(last=False)


def answer_retries_once(app: Callable) -> Callable:
    """WSGI middleware: a later attempt of an answered invocation gets the first answer."""
    answered = AnsweredInvocations()

    def replaying(environ: dict, start_response: Callable) -> Iterable[bytes]:
        invocation = environ.get("HTTP_AMZ_SDK_INVOCATION_ID", "")
        if invocation and attempt_number(environ.get("HTTP_AMZ_SDK_REQUEST", "")) > 1:
            first = answered.get(invocation)
            if first is not None:
                status, headers, body = first
                start_response(status, headers)
                return body
        seen: dict[str, object] = {}

        def recording(status: str, headers: list, exc_info: Any = None) -> Any:
            seen.update(status=status, headers=list(headers))
            return start_response(status, headers, exc_info)

        body = list(app(environ, recording))
        status = str(seen.get("status", "500"))
        if (
            invocation
            and int(status.split(" ", 1)[0]) < 500
            and sum(map(len, body)) <= LARGEST_KEPT_BODY
        ):
            answered.keep(invocation, (status, seen["headers"], body))  # type: ignore[arg-type]
        return body

    return replaying
