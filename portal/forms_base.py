from django import forms


class AccessibleFormMixin:
    """Ties each error message to its control with aria-describedby.

    Django adds aria-invalid and links help texts itself; the error paragraph
    (id "<field>_error", rendered by includes/field.html) is linked here so that
    a screen reader reads the error when the field gets focus.
    """

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        form: forms.BaseForm = self  # type: ignore[assignment]
        for name in form.errors:
            if name not in form.fields:
                continue
            bound = form[name]
            widget = form.fields[name].widget
            ids = [f"{bound.auto_id}_error"]
            if form.fields[name].help_text:
                ids.append(f"{bound.auto_id}_helptext")
            widget.attrs["aria-describedby"] = " ".join(ids)
