import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what actions schedule after commit (e-mails) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
