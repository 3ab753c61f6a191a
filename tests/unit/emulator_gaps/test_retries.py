"""The emulator answers a retried SDK call once (lmsops.emulator.gaps.retries)."""

from __future__ import annotations

import uuid

import boto3
import pytest

from lmsops.emulator.gaps.retries import answer_retries_once, attempt_number


class CountingApp:
    """A WSGI app that answers STATUS with a body naming how many calls it has served."""

    def __init__(self, status: str = "200 OK") -> None:
        self.calls = 0
        self.status = status

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response(self.status, [("Content-Type", "text/plain")])
        return [f"call {self.calls}".encode()]


def call(app, invocation: str | None, attempt: int) -> tuple[str, bytes]:
    environ = {}
    if invocation:
        environ["HTTP_AMZ_SDK_INVOCATION_ID"] = invocation
        environ["HTTP_AMZ_SDK_REQUEST"] = f"attempt={attempt}; max=3"
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status

    body = b"".join(app(environ, start_response))
    return seen["status"], body


def test_a_retry_of_an_answered_call_gets_the_first_answer_and_is_not_applied_again():
    inner = CountingApp()
    app = answer_retries_once(inner)

    assert call(app, "inv-1", 1) == ("200 OK", b"call 1")
    assert call(app, "inv-1", 2) == ("200 OK", b"call 1")
    assert inner.calls == 1


def test_new_calls_and_calls_without_sdk_headers_are_always_applied():
    inner = CountingApp()
    app = answer_retries_once(inner)

    call(app, "inv-1", 1)
    assert call(app, "inv-2", 1)[1] == b"call 2"
    assert call(app, "inv-3", 2)[1] == b"call 3"  # a retry whose first attempt never arrived
    assert call(app, None, 1)[1] == b"call 4"
    assert call(app, None, 1)[1] == b"call 5"


def test_a_retry_after_a_server_error_is_applied_again():
    inner = CountingApp("500 Internal Server Error")
    app = answer_retries_once(inner)

    call(app, "inv-1", 1)
    call(app, "inv-1", 2)

    assert inner.calls == 2


@pytest.mark.parametrize(
    ("header", "expected"), [("attempt=3; max=3", 3), ("attempt=1", 1), ("", 1), ("junk", 1)]
)
def test_attempt_number(header, expected):
    assert attempt_number(header) == expected


def test_the_emulator_answers_a_retried_put_item_with_its_first_answer(emulator):
    """A conditional PutItem (a Terraform state lock) retried after its answer was lost."""
    dynamodb = boto3.client("dynamodb")
    table = f"locks-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "LockID", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "LockID", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    invocation = str(uuid.uuid4())
    attempts = iter((1, 2))

    def same_invocation(request, **_):
        request.headers["amz-sdk-invocation-id"] = invocation
        request.headers["amz-sdk-request"] = f"attempt={next(attempts)}; max=3"

    dynamodb.meta.events.register_last("before-send.dynamodb.PutItem", same_invocation)
    lock = {
        "TableName": table,
        "Item": {"LockID": {"S": "state/terraform.tfstate"}},
        "ConditionExpression": "attribute_not_exists(LockID)",
    }

    dynamodb.put_item(**lock)
    dynamodb.put_item(**lock)  # the retry: without the gap fill, ConditionalCheckFailed

    items = dynamodb.scan(TableName=table)["Items"]
    assert items == [{"LockID": {"S": "state/terraform.tfstate"}}]
