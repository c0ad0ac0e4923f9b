"""The models and their migrations say the same thing: a model change without its
migration (a constraint, a field's options) would pass every test, since the test
database is built from the migrations."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    out = StringIO()
    # --check exits with status 1 (SystemExit, failing the test) when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
