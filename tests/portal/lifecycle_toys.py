"""The toy vocabulary the engine's own tests share (`test_lifecycle_engine`,
`test_lifecycle_transition`): roles, steps and an actor that belong to no kind, so the engine
is tested apart from any kind's rules. Each test module writes its own table with them."""

import datetime
import enum
from dataclasses import dataclass

NOW = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)


class Role(enum.StrEnum):
    OWNER = "owner"
    CLERK = "clerk"
    GUEST = "guest"


class Step(enum.StrEnum):
    OPEN = "open"
    SHUT = "shut"
    REVIEW = "review"
    FINISH = "finish"
    NOTE = "note"


@dataclass(frozen=True)
class Actor:
    role: Role
    name: str = "ann"
