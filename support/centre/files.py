"""The form field that takes several files, each checked by `support.centre.uploads`."""

from django import forms
from django.core.files.uploadedfile import UploadedFile

from support.centre.uploads import ALLOWED_TYPES, CheckedFile, files_check

ACCEPT = ",".join([".pdf", ".jpg", ".jpeg", ".png", ".docx", *ALLOWED_TYPES])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each is checked by `attachment_check`."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update({"multiple": True, "accept": ACCEPT})

    def clean(self, data, initial=None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data] if data else []
        return [item for item in items if item]


def file_errors_check(
    form: forms.Form, uploads: list[UploadedFile], *, room: int, field: str = "files"
) -> list[CheckedFile]:
    """Check each file; errors go to the field one per file, the good ones are returned."""
    accepted, errors = files_check(uploads, room=room)
    for error in errors:
        form.add_error(field, error)
    return accepted
