"""The outcome shared by every synced resource's upsert service (episodes, diary days,
treatments): what was stored, and whether storing it changed anything."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

UpsertStatus = Literal["created", "replaced", "unchanged"]


@dataclass(frozen=True)
class UpsertResult:
    """``resource`` as stored; ``status`` says whether it was created, replaced, or already
    held exactly that content (then neither its version nor its change sequence moved)."""

    resource: Any
    status: UpsertStatus

    @property
    def created(self) -> bool:
        return self.status == "created"

    @property
    def changed(self) -> bool:
        return self.status != "unchanged"
