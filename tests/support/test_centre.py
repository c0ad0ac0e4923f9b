"""The contact centre's base is shared, not borrowed: the centre knows no kind, and no kind
takes its people, refusals, staff gate or upload checks from another kind."""

import ast
from pathlib import Path

import pytest

import support

SUPPORT = Path(support.__file__).parent
KINDS = ("appeals", "chat", "callbacks")


def _imports(package: str) -> set[str]:
    found = set()
    for path in (SUPPORT / package).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def test_the_centre_knows_no_kind():
    borrowed = {m for m in _imports("centre") if m.split(".")[:2][-1] in KINDS}
    assert borrowed == set()


# Where the base used to be borrowed from: another kind's people, lifecycle, gate, checks.
BORROWED_FROM = ("roles", "lifecycle", "uploads", "operator_views", "session")


@pytest.mark.parametrize("kind", KINDS)
def test_a_kind_takes_the_shared_base_from_the_centre_not_from_another_kind(kind):
    others = [other for other in KINDS if other != kind]
    borrowed = {
        module
        for module in _imports(kind)
        for other in others
        for part in BORROWED_FROM
        if module == f"support.{other}.{part}"
    }
    assert borrowed == set()


def test_an_actor_does_not_know_the_appeals_history():
    from support.centre.people import Actor, Role

    assert set(Actor.__dataclass_fields__) == {"role", "user", "visitor"}
    assert not hasattr(Actor(Role.OPERATOR), "kind")
