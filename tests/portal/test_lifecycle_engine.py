"""The shared lifecycle engine on a toy table: the order of refusals and the moves.

Every kind's own table test (appeals, chats, call-backs, applications) walks its rows; this
file pins what all of them rely on: who is checked before the state, so a stranger learns
nothing about an item; the generic refusal words; and where a step leads."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal import lifecycle as engine
from portal.lifecycle import Condition, Rule
from tests.portal.lifecycle_toys import NOW, Actor, Role, Step


@dataclass
class Item:
    status: str
    owner: str = "ann"
    locked: bool = False


@dataclass(frozen=True)
class Situation:
    item: Item
    actor: Actor
    now: datetime.datetime


MINE = Condition(lambda s: s.item.owner == s.actor.name, "not yours", "mine", about_person=True)
UNLOCKED = Condition(lambda s: not s.item.locked, "locked", "locked")
IN_OFFICE_HOURS = Condition(lambda s: 9 <= s.now.hour < 18, "come back at nine", "hours")

TABLE = {
    Step.OPEN: Rule(frozenset({Role.OWNER}), frozenset({"new"}), (MINE, UNLOCKED), to="open"),
    Step.SHUT: Rule(
        frozenset({Role.OWNER, Role.CLERK}),
        frozenset({"new", "open"}),
        moves={"open": "shut"},
    ),
    Step.NOTE: Rule(
        frozenset({Role.CLERK}), frozenset({"new", "open", "shut"}), (IN_OFFICE_HOURS,)
    ),
}

LIFECYCLE = engine.Lifecycle(
    TABLE,
    not_allowed="not allowed",
    wrong_status=engine.wrong_status_message("wrong status"),
    situation=Situation,
)


def test_a_role_outside_the_row_is_refused_as_a_person():
    error = LIFECYCLE.refusal_of(Step.NOTE, Item("new"), Actor(Role.OWNER), NOW)
    assert isinstance(error, PermissionDenied)
    assert engine.messages_of(error, fallback="fallback") == ["not allowed"]


def test_who_is_checked_before_the_state():
    # A stranger asking for a step from the wrong status hears "not yours", not the status.
    error = LIFECYCLE.refusal_of(Step.OPEN, Item("shut", owner="bob"), Actor(Role.OWNER), NOW)
    assert isinstance(error, PermissionDenied)
    assert str(error) == "not yours"


def test_the_wrong_status_comes_before_the_items_conditions():
    error = LIFECYCLE.refusal_of(Step.OPEN, Item("open", locked=True), Actor(Role.OWNER), NOW)
    assert isinstance(error, ValidationError)
    assert error.code == "status"
    assert error.messages == ["wrong status"]


def test_a_failed_condition_about_the_item_carries_its_words_and_code():
    error = LIFECYCLE.refusal_of(Step.OPEN, Item("new", locked=True), Actor(Role.OWNER), NOW)
    assert isinstance(error, ValidationError)
    assert (error.code, error.messages) == ("locked", ["locked"])


def test_an_open_step_is_not_refused_and_check_raises_only_on_refusal():
    LIFECYCLE.check_of(Step.OPEN, Item("new"), Actor(Role.OWNER), NOW)
    with pytest.raises(ValidationError):
        LIFECYCLE.check_of(Step.OPEN, Item("new", locked=True), Actor(Role.OWNER), NOW)
    with pytest.raises(PermissionDenied):
        LIFECYCLE.check_of(Step.OPEN, Item("new"), Actor(Role.CLERK), NOW)


@pytest.mark.parametrize(
    ("item", "actor", "expected"),
    [
        (Item("new"), Actor(Role.OWNER), {"open", "shut"}),
        (Item("new", locked=True), Actor(Role.OWNER), {"shut"}),
        (Item("new", owner="bob"), Actor(Role.OWNER), {"shut"}),
        (Item("open"), Actor(Role.OWNER), {"shut"}),
        (Item("open"), Actor(Role.CLERK), {"shut", "note"}),
        (Item("shut"), Actor(Role.CLERK), {"note"}),
        (Item("shut"), Actor(Role.OWNER), set()),
        (Item("new"), None, set()),
    ],
)
def test_allowed_lists_exactly_the_steps_not_refused(item, actor, expected):
    assert LIFECYCLE.allowed_of(item, actor, NOW) == expected


@pytest.mark.parametrize(
    ("step", "status", "after"),
    [
        (Step.OPEN, "new", "open"),  # `to` wins
        (Step.SHUT, "open", "shut"),  # `moves` for this status
        (Step.SHUT, "new", "new"),  # no move for this status: unchanged
        (Step.NOTE, "shut", "shut"),  # neither: unchanged
    ],
)
def test_status_after(step, status, after):
    assert LIFECYCLE.status_after(step, status) == after


def test_the_situation_sees_the_moment_asked_about():
    night = NOW.replace(hour=23)
    assert LIFECYCLE.allowed_of(Item("shut"), Actor(Role.CLERK), night) == set()
    error = LIFECYCLE.refusal_of(Step.NOTE, Item("shut"), Actor(Role.CLERK), night)
    assert engine.messages_of(error, fallback="fallback") == ["come back at nine"]


def test_without_a_moment_the_engine_asks_the_clock(monkeypatch):
    monkeypatch.setattr(engine.timezone, "now", lambda: NOW.replace(hour=3))
    assert LIFECYCLE.allowed_of(Item("shut"), Actor(Role.CLERK)) == set()
    assert LIFECYCLE.refusal_of(Step.NOTE, Item("shut"), Actor(Role.CLERK)).code == "hours"
    monkeypatch.setattr(engine.timezone, "now", lambda: NOW)
    assert LIFECYCLE.allowed_of(Item("shut"), Actor(Role.CLERK)) == {"note"}
    assert LIFECYCLE.refusal_of(Step.NOTE, Item("shut"), Actor(Role.CLERK)) is None


def test_the_fallback_words_for_a_silent_permission_refusal():
    assert engine.messages_of(PermissionDenied(), fallback="fallback") == ["fallback"]
    assert engine.messages_of(PermissionDenied("why"), fallback="fallback") == ["why"]
