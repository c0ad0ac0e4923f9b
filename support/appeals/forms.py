import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.catalogue.selectors import service_published_get
from portal.forms import AccessibleFormMixin
from portal.models import User
from support.appeals.actions.registration import FeedbackSent
from support.appeals.models import AnswerChannel, Status, Topic
from support.appeals.rules import (
    CONSENT_REQUIRED,
    DESCRIPTION_HINT,
    DESCRIPTION_TOO_LONG,
    EMAIL_REQUIRED,
    MAX_DESCRIPTION,
    MAX_SUBJECT,
    MAX_TEXT,
    SUBJECT_TOO_LONG,
    TEXT_REQUIRED,
    TEXT_TOO_LONG,
    email_required,
)
from support.appeals.selectors import QueueFilters, topics_active
from support.centre.files import MultipleFileField, file_errors_check
from support.centre.people import staff_assignable
from support.centre.uploads import FILES_LIMITS, MAX_FILES, CheckedFile, files_check

SERVICE_UNKNOWN = _("Услуга с таким номером не найдена. Проверьте номер или оставьте поле пустым.")
NUMBER_HINT = _("8 цифр из письма или со страницы подтверждения.")


def _uuid_or_none(raw) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw)) if raw else None
    except ValueError:
        return None


# What the citizen fills in that `appeal_register` takes as it is (the service is looked up).
APPEAL_FIELDS = (
    "topic",
    "subject",
    "description",
    "phone",
    "email",
    "answer_channel",
    "consent",
)


class FeedbackForm(AccessibleFormMixin, forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)
    topic = forms.ModelChoiceField(
        label=_("Тема обращения"),
        queryset=Topic.objects.none(),
        empty_label=_("Выберите тему"),
        error_messages={
            "required": _("Выберите тему обращения."),
            "invalid_choice": _("Выберите тему из списка."),
        },
    )
    service = forms.CharField(
        label=_("Номер услуги (если вопрос о конкретной услуге)"),
        required=False,
        max_length=20,
        help_text=_("Номер указан на странице услуги в каталоге. Можно оставить пустым."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    subject = forms.CharField(
        label=_("Кратко о вопросе"),
        max_length=MAX_SUBJECT,
        help_text=_(
            "Например: «Не работает личный кабинет». Пока вы пишете, мы подскажем "
            "подходящие ответы из раздела «Вопросы и ответы»."
        ),
        error_messages={
            "required": _("Напишите, о чём ваш вопрос."),
            "max_length": SUBJECT_TOO_LONG,
        },
    )
    description = forms.CharField(
        label=_("Описание"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=DESCRIPTION_HINT,
        error_messages={"required": _("Опишите проблему."), "max_length": DESCRIPTION_TOO_LONG},
    )
    phone = forms.CharField(
        label=_("Телефон"),
        required=False,
        max_length=40,
        help_text=_("Российский номер в любом виде, например 8 916 123-45-67."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    # Whether it may stay empty (an answer by a call) is the appeals' rule, asked by the action.
    email = forms.EmailField(
        label=_("Электронная почта"),
        required=False,
        max_length=254,
        help_text=_("На неё придут номер обращения и ответ."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Введите адрес электронной почты, например name@example.ru."),
        },
    )
    answer_channel = forms.ChoiceField(
        label=_("Как вам удобнее получить ответ"),
        choices=AnswerChannel.choices,
        initial=AnswerChannel.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Выберите, как получить ответ.")},
    )
    files = MultipleFileField(
        label=_("Файлы"),
        help_text=format_lazy(_("Скриншоты или документы. {limits}"), limits=FILES_LIMITS),
    )
    consent = forms.BooleanField(
        label=_("Я даю согласие на обработку моих персональных данных"),
        error_messages={"required": CONSENT_REQUIRED},
    )

    def __init__(self, *args, user: User | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics_active()
        self.user = user
        self.accepted_files: list[CheckedFile] = []
        self.service_obj = None
        self.early_refusals: list[ValidationError] = []
        if user is None or not user.is_authenticated:
            self.fields["answer_channel"].choices = [
                choice for choice in AnswerChannel.choices if choice[0] != AnswerChannel.CABINET
            ]

    def token_value(self) -> uuid.UUID:
        raw = self.data.get("token") if self.is_bound else self.initial.get("token")
        try:
            return uuid.UUID(str(raw))
        except (TypeError, ValueError):
            return uuid.uuid4()

    def clean_service(self) -> str:
        code = self.cleaned_data["service"].strip()
        if code:
            self.service_obj = service_published_get(code=code)
            if self.service_obj is None:
                raise ValidationError(SERVICE_UNKNOWN)
        return code

    def clean(self):
        data = super().clean()
        # Said with the other fields' errors; the action asks the same rule again.
        channel = data.get("answer_channel")
        if channel and not data.get("email") and "email" not in self.errors:
            if email_required(answer_channel=channel):
                self.add_error("email", EMAIL_REQUIRED)
        return data

    def clean_files(self) -> list[CheckedFile]:
        # Each file on its own here; how many fit beside those attached before is the
        # action's to decide.
        self.accepted_files = file_errors_check(self, self.cleaned_data["files"], room=MAX_FILES)
        return self.accepted_files

    def sent(self) -> dict:
        """What this POST asks of `feedback_send`: the file to take back, or the appeal's
        fields (None while the form has errors), with the new files that passed the checks
        and the ones the page showed as attached."""
        removing = "remove_file" in self.data
        appeal = None
        if removing:
            # Taking a file back validates nothing else; only the new files are checked.
            self.accepted_files, errors = files_check(self.files.getlist("files"), room=MAX_FILES)
            self.early_refusals = [ValidationError({"files": errors})] if errors else []
        elif self.is_valid():
            data = self.cleaned_data
            appeal = {name: data[name] for name in APPEAL_FIELDS} | {"service": self.service_obj}
        return {
            "token": self.token_value(),
            "remove": _uuid_or_none(self.data.get("remove_file")),
            "appeal": appeal,
            "files": self.accepted_files,
            "attached": self.attached_keys(),
        }

    def attached_keys(self) -> list[uuid.UUID]:
        """The files the page showed as attached when it was sent."""
        keys = [_uuid_or_none(raw) for raw in self.data.getlist("attached")]
        return [key for key in keys if key is not None]

    def after(self, sent: FeedbackSent) -> "FeedbackForm":
        """The form to show when a POST registered nothing: this one with the refusals, or,
        after a file was taken back or the token was spent, a new one with what was typed."""
        form = self
        if sent.fresh_token is not None or "remove_file" in self.data:
            form = self.again(token=sent.fresh_token or self.token_value())
        for refusal in [*self.early_refusals, *sent.refusals]:
            form.refusal_add(refusal)
        return form

    def again(self, *, token: uuid.UUID) -> "FeedbackForm":
        """A form not yet checked, holding what this one was sent (the files aside)."""
        typed = {name: self.data[name] for name in self.fields if name in self.data}
        return FeedbackForm(initial={**typed, "token": token}, user=self.user)


LOOKUP_CONTACT_REQUIRED = _("Укажите e-mail или телефон, указанные в обращении.")


class LookupForm(AccessibleFormMixin, forms.Form):
    number = forms.CharField(
        label=_("Номер обращения"),
        max_length=20,
        help_text=NUMBER_HINT,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Введите номер обращения.")},
    )
    email = forms.EmailField(
        label=_("Электронная почта, указанная в обращении"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "invalid": _("Введите адрес электронной почты, например name@example.ru."),
        },
    )
    # An appeal left without an e-mail (a chat message with a phone) is found by its phone.
    phone = forms.CharField(
        label=_("Или телефон, указанный в обращении"),
        required=False,
        max_length=40,
        help_text=_("Если в обращении не было e-mail. Российский номер в любом виде."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_number(self) -> str:
        return "".join(ch for ch in self.cleaned_data["number"] if ch.isdigit())

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("phone") and "email" not in self.errors:
            self.add_error("email", LOOKUP_CONTACT_REQUIRED)
        return data


def _text_field(label, *, required: bool = True, rows: int = 5, help_text: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": TEXT_REQUIRED, "max_length": TEXT_TOO_LONG},
    )


class TextForm(AccessibleFormMixin, forms.Form):
    """One text box (and optionally files): answers, reasons, comments."""

    text = _text_field(_("Текст"))
    files = MultipleFileField(label=_("Файлы (необязательно)"), help_text=FILES_LIMITS)

    def __init__(self, *args, label=None, with_files: bool = False, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.accepted_files: list[CheckedFile] = []
        if label:
            self.fields["text"].label = label
        if not with_files:
            del self.fields["files"]

    def clean_files(self) -> list[CheckedFile]:
        uploads = self.cleaned_data["files"]
        self.accepted_files = file_errors_check(self, uploads, room=MAX_FILES)
        return self.accepted_files


class AssignForm(AccessibleFormMixin, forms.Form):
    operator = forms.ModelChoiceField(
        label=_("Кому передать"), queryset=User.objects.none(), empty_label=_("Выберите сотрудника")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = staff_assignable()
        self.fields["operator"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Статус"),
        required=False,
        choices=[("", _("Все открытые и с ответом")), *Status.choices],
    )
    topic = forms.ModelChoiceField(
        label=_("Тема"), required=False, queryset=Topic.objects.all(), empty_label=_("Все темы")
    )
    overdue = forms.BooleanField(label=_("Только просроченные"), required=False)
    mine = forms.BooleanField(label=_("Только мои"), required=False)
    q = forms.CharField(label=_("Номер, e-mail или слова из темы"), required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1)

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(
            status=data["status"],
            overdue=data["overdue"],
            topic=data["topic"].pk if data["topic"] else None,
            mine=data["mine"],
            query=data["q"],
        )

    def page_number(self) -> int:
        if self.is_valid() and self.cleaned_data["page"]:
            return self.cleaned_data["page"]
        return 1
