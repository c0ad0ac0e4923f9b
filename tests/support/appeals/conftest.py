import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what actions schedule after commit (e-mails) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Staff and citizens are made in nearly every test here; PBKDF2 would dominate.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
