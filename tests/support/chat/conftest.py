"""Fixtures the chat's socket tests share."""

import pytest

from support.appeals.roles import roles_ensure
from tests.portal.factories import UserFactory
from tests.support.appeals.factories import operator_make


@pytest.fixture
def people(db):
    # Transactional tests flush the groups the data migration made: make them again.
    roles_ensure()
    return {
        "citizen": UserFactory(username="c1"),
        "other": UserFactory(username="c2"),
        "operator": operator_make("op1"),
    }
