"""What the admin tests check of a form posted with bad data."""


def assert_refused(response, message, model) -> None:
    """The form came back (200, not a redirect) saying `message`, and no `model` was saved."""
    assert response.status_code == 200
    assert str(message) in response.content.decode()
    assert not model.objects.exists()
