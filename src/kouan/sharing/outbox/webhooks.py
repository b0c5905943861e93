"""Signed webhook requests (Standard Webhooks): the JSON body an agency receives and the three headers that let it
check who sent it, when, and which event it is. Pure: no database, no network."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from standardwebhooks.webhooks import EmptyWebhookSecretError, Webhook, WebhookVerificationError


@dataclass(frozen=True)
class SignedRequest:
    body: bytes
    headers: dict[str, str]


def body_text(*, event_id: str, type: str, payload: dict[str, Any], at: datetime) -> str:
    """The JSON body: ``{"id", "type", "timestamp", "data"}``, compact, UTF-8 text kept as is."""
    envelope = {"id": event_id, "type": type, "timestamp": at.astimezone(UTC).isoformat(), "data": payload}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), default=str)


def signed_request(
    *, secret: str, event_id: str, type: str, payload: dict[str, Any], at: datetime | None = None
) -> SignedRequest:
    """Body and headers for one delivery; ``webhook-id`` is the event id, the receiver's idempotency key."""
    at = (at or datetime.now(UTC)).astimezone(UTC)
    text = body_text(event_id=event_id, type=type, payload=payload, at=at)
    headers = {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(event_id, at, text),
        "content-type": "application/json",
    }
    return SignedRequest(body=text.encode("utf-8"), headers=headers)


def verify(*, secret: str, body: bytes, headers: dict[str, str]) -> dict[str, Any]:
    """The parsed body when the signature and timestamp hold; raises ``WebhookVerificationError`` otherwise,
    also for a malformed header or body."""
    try:
        data = Webhook(secret).verify(body, headers)
    except (ValueError, TypeError, EmptyWebhookSecretError) as error:
        raise WebhookVerificationError(f"malformed webhook: {error}") from error
    if not isinstance(data, dict):
        raise WebhookVerificationError("the body is not a JSON object")
    return data
