"""A signed checkpoint of the chain kept outside the store: how many events there were, which was last and its hash.
The store alone cannot vouch for its own length (deleting every event and the head leaves an "intact", empty chain);
a checkpoint written somewhere its writers cannot reach can."""

from __future__ import annotations

import hmac
import json
import os
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kouan.audit.keys import sign

PURPOSE = "kouan-audit-checkpoint-v1"  # so that a checkpoint's signature is never an event's hash


@dataclass(frozen=True)
class Checkpoint:
    count: int
    last_id: int
    last_hash: str
    at: datetime

    def summary(self) -> dict[str, Any]:
        return {"count": self.count, "last_id": self.last_id, "at": self.at.isoformat()}


class BadCheckpoint(Exception):
    """The checkpoint file cannot be read, or its signature is not this installation's."""


def _signed_content(checkpoint: Checkpoint) -> str:
    fields = {**asdict(checkpoint), "at": checkpoint.at.isoformat(), "purpose": PURPOSE}
    return json.dumps(fields, sort_keys=True)


def to_json(*, checkpoint: Checkpoint, key: bytes) -> dict[str, Any]:
    signature = sign(key=key, content=_signed_content(checkpoint))
    return {**asdict(checkpoint), "at": checkpoint.at.isoformat(), "signature": signature}


def write_checkpoint(*, checkpoint: Checkpoint, key: bytes, path: Path) -> dict[str, Any]:
    """Replaces the file in one step (a reader sees the old checkpoint or the new one, never half of one)."""
    saved = to_json(checkpoint=checkpoint, key=key)
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    draft.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    os.replace(draft, path)
    return saved


def read_checkpoint(*, key: bytes, path: Path) -> Checkpoint | None:
    """The checkpoint in ``path``; None when there is none yet, :class:`BadCheckpoint` when it cannot be trusted."""
    if not path.exists():
        return None
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        checkpoint = Checkpoint(count=int(saved["count"]), last_id=int(saved["last_id"]),
                                last_hash=str(saved["last_hash"]), at=datetime.fromisoformat(saved["at"]))  # fmt: skip
        signature = str(saved["signature"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BadCheckpoint(f"the checkpoint {path} cannot be read ({error})") from error
    if not hmac.compare_digest(signature, sign(key=key, content=_signed_content(checkpoint))):
        raise BadCheckpoint(
            f"the checkpoint {path} does not carry this installation's signature (it was edited, or signed under "
            "another audit key)"
        )
    return checkpoint
