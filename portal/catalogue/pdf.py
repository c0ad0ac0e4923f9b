"""The printable memo of a service ("Скачать памятку (PDF)").

fpdf2 with the DejaVu Sans font bundled in fonts/ (with its licence): the PDF's
Cyrillic is embedded as a font subset with a ToUnicode map, so it prints the same
everywhere and its text can be copied and searched.
"""

from pathlib import Path

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from portal.catalogue.models import Service

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
CACHE_SECONDS = 60 * 60
TEXT_COLOUR = (31, 42, 55)
MUTED_COLOUR = (75, 85, 99)
LINE = 6


class _Memo(FPDF):
    def __init__(self, *, header_text: str, footer_text: str) -> None:
        super().__init__(format="A4")
        self.header_text = header_text
        self.footer_text = footer_text
        self.add_font(FONT, "", FONTS_DIR / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONTS_DIR / "DejaVuSans-Bold.ttf")
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=20)

    def header(self) -> None:
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED_COLOUR)
        self.cell(0, 5, self.header_text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)
        self.set_text_color(*TEXT_COLOUR)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED_COLOUR)
        self.multi_cell(0, 4, self.footer_text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        page = _("Страница %(page)s из %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 4, page, align="R")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(FONT, "B", 12)
        self.multi_cell(0, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10.5)

    def paragraph(self, text: str) -> None:
        self.set_font(FONT, "", 10.5)
        self.multi_cell(0, LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def item(self, marker: str, text: str) -> None:
        """A list line with a hanging indent, so wrapped lines align with the text."""
        self.set_font(FONT, "", 10.5)
        indent = 7
        x = self.l_margin
        self.cell(indent, LINE, marker)
        self.set_x(x + indent)
        self.multi_cell(0, LINE, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _days(days: int) -> str:
    # "рабочих дней: 22" reads right for any number without Russian plural forms.
    return ngettext("%(days)s рабочий день", "рабочих дней: %(days)s", days) % {"days": days}


def service_memo_pdf(*, service: Service, page_url: str) -> bytes:
    """The memo as PDF bytes; cached until the service changes (or the day does)."""
    today = timezone.localdate()
    key = (
        f"catalogue:memo:{service.pk}:{service.updated_at.timestamp()}:"
        f"{get_language()}:{today.isoformat()}:{page_url}"
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    pdf_bytes = _render(service=service, page_url=page_url, today_text=date_format(today, "j E Y"))
    cache.set(key, pdf_bytes, CACHE_SECONDS)
    return pdf_bytes


def _render(*, service: Service, page_url: str, today_text: str) -> bytes:
    pdf = _Memo(
        header_text=_("Госуслуги · Помощь и поддержка · Памятка по услуге № %(code)s")
        % {"code": service.code},
        footer_text=_("Актуально на %(date)s. Подробности и вопросы: %(url)s")
        % {"date": today_text, "url": page_url},
    )
    pdf.set_title(service.title)
    pdf.set_subject(_("Памятка по услуге № %(code)s") % {"code": service.code})
    pdf.set_author(_("Госуслуги — Помощь и поддержка"))
    pdf.set_creator(_("Помощь и поддержка"))
    pdf.set_lang(get_language() or "ru")
    pdf.set_creation_date(timezone.now())
    pdf.add_page()

    pdf.set_text_color(*TEXT_COLOUR)
    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(0, 8.5, service.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)
    pdf.set_font(FONT, "", 9.5)
    pdf.set_text_color(*MUTED_COLOUR)
    meta = _("Номер услуги: %(code)s · %(category)s · %(type)s") % {
        "code": service.code,
        "category": service.category.title,
        "type": service.get_service_type_display(),
    }
    pdf.multi_cell(0, 5, meta, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*TEXT_COLOUR)
    pdf.ln(2)
    pdf.paragraph(service.summary)

    facts: list[tuple[str, str]] = []
    if service.processing_days is not None:
        facts.append((_("Срок оказания"), _days(service.processing_days)))
    if service.cost:
        facts.append((_("Стоимость"), service.cost))
    ways = []
    if service.available_online:
        ways.append(_("онлайн на портале"))
    if service.available_in_person:
        ways.append(_("лично в ведомстве или МФЦ"))
    facts.append((_("Как подать"), ", ".join(ways)))
    if service.all_regions:
        facts.append((_("Где действует"), _("вся Россия")))
    else:
        facts.append((_("Где действует"), ", ".join(r.name for r in service.regions.all())))
    pdf.ln(2)
    for label, value in facts:
        pdf.set_font(FONT, "B", 10.5)
        pdf.cell(pdf.get_string_width(label + ": ") + 1, LINE, label + ":")
        pdf.set_font(FONT, "", 10.5)
        pdf.multi_cell(0, LINE, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if service.applicants:
        pdf.heading(_("Кто может подать"))
        pdf.paragraph(service.applicants)

    documents = list(service.documents.all())
    if documents:
        pdf.heading(_("Какие документы нужны"))
        for document in documents:
            text = document.title
            if document.note:
                text += f" — {document.note}"
            if not document.is_required:
                text += " " + _("(необязательно)")
            pdf.item("☐", text)

    steps = service.how_to_apply_steps()
    if steps:
        pdf.heading(_("Порядок действий"))
        for number, step in enumerate(steps, start=1):
            pdf.item(f"{number}.", step)

    if service.result:
        pdf.heading(_("Результат"))
        pdf.paragraph(service.result)

    if service.department or service.department_contacts:
        pdf.heading(_("Ведомство"))
        if service.department:
            pdf.paragraph(service.department)
        if service.department_contacts:
            pdf.paragraph(service.department_contacts)

    return bytes(pdf.output())
