"""Letters shaped like the ones real clients send, as raw bytes.

Headers, structure and encodings follow what Outlook, Gmail, The Bat!, old KOI8-R clients,
Yandex's vacation reply and Postfix's bounce really produce; only names and addresses are
made up.
"""

import base64
import quopri
import urllib.parse
from email.header import Header

from tests.support.appeals.factories import PDF, PNG

SUPPORT = "support@help.example.org"


def _b64(data: bytes) -> str:
    return base64.encodebytes(data).decode()


def outlook_html(*, sender="ivanov@company.ru", to=SUPPORT, message_id="<outlook-1@company.ru>"):
    """Outlook 2016, HTML only (a corporate default), a logo in the signature, a PDF."""
    html = """<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt;} --></style></head>
<body lang="RU" link="#0563C1">
<div class="WordSection1">
<p class="MsoNormal">Добрый день!<o:p></o:p></p>
<p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Не могу подать заявление на&nbsp;загранпаспорт: после шага «Фото» форма
зависает. Скриншот и&nbsp;квитанцию прикладываю.<o:p></o:p></p>
<p class="MsoNormal">Прошу помочь &amp; ответить <b>до пятницы</b>.<o:p></o:p></p>
<script>alert('x')</script>
<p class="MsoNormal">С уважением,<br>Иван Иванов<o:p></o:p></p>
<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">
<p class="MsoNormal"><b>От:</b> Госуслуги &lt;noreply@gosuslugi.example&gt;<br>
<b>Отправлено:</b> 4 декабря 2026 г. 9:12<br><b>Кому:</b> Иван<br>
<b>Тема:</b> Заявление не отправлено<o:p></o:p></p></div>
<p class="MsoNormal">Ваше заявление не отправлено из-за технической ошибки.<o:p></o:p></p>
</div></body></html>"""
    return f"""Received: from mx.company.ru (mx.company.ru [192.0.2.10])
From: =?utf-8?B?0JjQstCw0L0g0JjQstCw0L3QvtCy?= <{sender}>
To: {to}
Subject: =?utf-8?B?0J3QtSDQvtGC0L/RgNCw0LLQu9GP0LXRgtGB0Y8g0LfQsNGP0LLQu9C10L3QuNC1?=
Date: Mon, 7 Dec 2026 10:15:02 +0300
Message-ID: {message_id}
Accept-Language: ru-RU, en-US
Content-Language: ru-RU
X-Mailer: Microsoft Outlook 16.0
Thread-Index: AdrJ4mQ5cXx2yQkWT0yD0m8p9o3n9w==
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="_004_outlook_"

--_004_outlook_
Content-Type: multipart/related; boundary="_003_outlook_"; type="text/html"

--_003_outlook_
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: base64

{_b64(html.encode())}
--_003_outlook_
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"
Content-ID: <image001.png@01DB48A1.2B3C4D50>
Content-Transfer-Encoding: base64

{_b64(PNG)}
--_003_outlook_--

--_004_outlook_
Content-Type: application/pdf; name="=?utf-8?B?0JrQstC40YLQsNC90YbQuNGPLnBkZg==?="
Content-Description: =?utf-8?B?0JrQstC40YLQsNC90YbQuNGPLnBkZg==?=
Content-Disposition: attachment; filename="=?utf-8?B?0JrQstC40YLQsNC90YbQuNGPLnBkZg==?="; size=52
Content-Transfer-Encoding: base64

{_b64(PDF)}
--_004_outlook_--
""".encode()


def gmail_reply(
    *,
    sender="petrova.anna@gmail.com",
    to=SUPPORT,
    message_id="<CAGmail-reply-1@mail.gmail.com>",
    in_reply_to="<ours@help.example.org>",
    text="Спасибо! Номер квитанции 12-345, оплачивала 3 декабря.",
):
    """Gmail's reply: text and HTML alternatives, the history quoted under a Russian header."""
    plain = f"""{text}

пн, 7 дек. 2026 г. в 10:40, Поддержка Госуслуг <{SUPPORT}>:

> Здравствуйте!
>
> Чтобы ответить на обращение, оператору нужны уточнения:
>
> Пришлите номер квитанции.
>
"""
    html = f"""<div dir="ltr">{text}</div><br><div class="gmail_quote"><div dir="ltr"
class="gmail_attr">пн, 7 дек. 2026 г. в 10:40, Поддержка Госуслуг &lt;{SUPPORT}&gt;:<br></div>
<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex">Здравствуйте!<br>
Пришлите номер квитанции.</blockquote></div>"""
    return f"""MIME-Version: 1.0
Date: Mon, 7 Dec 2026 10:52:31 +0300
References: {in_reply_to}
In-Reply-To: {in_reply_to}
Message-ID: {message_id}
Subject: Re: =?UTF-8?B?0JfQsNC/0YDQvtGBINGD0YLQvtGH0L3QtdC90LjQuQ==?=
From: =?UTF-8?B?0JDQvdC90LAg0J/QtdGC0YDQvtCy0LA=?= <{sender}>
To: {to}
Content-Type: multipart/alternative; boundary="000000000000a1b2c3d4e5f6"

--000000000000a1b2c3d4e5f6
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{quopri.encodestring(plain.encode()).decode()}
--000000000000a1b2c3d4e5f6
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

{quopri.encodestring(html.encode()).decode()}
--000000000000a1b2c3d4e5f6--
""".encode()


def gmail_forward(*, sender="sidorov@yandex.ru", to=SUPPORT, message_id="<fwd-1@yandex.ru>"):
    """A letter forwarded inline: the forwarded part is the point, nothing is folded."""
    plain = """Пересылаю письмо из МФЦ, прошу разобраться.

---------- Forwarded message ---------
От: МФЦ района <info@mfc.example>
Date: пт, 4 дек. 2026 г. в 15:00
Subject: Отказ в приёме документов
To: <sidorov@yandex.ru>

Уважаемый заявитель! В приёме документов отказано: не приложена справка 2-НДФЛ.
"""
    return f"""From: Sidorov <{sender}>
To: {to}
Subject: Fwd: =?UTF-8?B?0J7RgtC60LDQtyDQsiDQv9GA0LjRkdC80LUg0LTQvtC60YPQvNC10L3RgtC+0LI=?=
Date: Mon, 7 Dec 2026 11:00:00 +0300
Message-ID: {message_id}
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: 8bit

{plain}""".encode()


def windows_1251_with_rfc2231_name(
    *, sender="old.user@rambler.ru", to=SUPPORT, message_id="<thebat-1@rambler.ru>"
):
    """The Bat!: windows-1251 quoted-printable text, a signature, an RFC 2231 Cyrillic
    file name (continuations included) and a file the form would refuse (an .exe)."""
    text = (
        "Здравствуйте.\nПрикладываю паспорт в PDF. Подскажите, когда будет готово?\n\n"
        "-- \nС уважением, Пётр Петрович\nтел. 8 900 000-00-00\n"
    )
    name = urllib.parse.quote("Скан паспорта (страница 2).pdf".encode())
    half = name.index("%", len(name) // 2)  # clients split between escapes
    return f"""From: {Header("Пётр Петрович", "windows-1251").encode()} <{sender}>
To: {to}
Subject: {Header("Вопрос по заявлению", "windows-1251").encode()}
Date: Mon, 7 Dec 2026 12:00:00 +0300
Message-ID: {message_id}
X-Mailer: The Bat! (v9.4.6) Professional
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="----------0D1E2F3A4B5C6D7E"

------------0D1E2F3A4B5C6D7E
Content-Type: text/plain; charset=windows-1251
Content-Transfer-Encoding: quoted-printable

{quopri.encodestring(text.encode("windows-1251")).decode()}
------------0D1E2F3A4B5C6D7E
Content-Type: application/pdf
Content-Disposition: attachment;
 filename*0*=utf-8''{name[:half]};
 filename*1*={name[half:]}
Content-Transfer-Encoding: base64

{_b64(PDF)}
------------0D1E2F3A4B5C6D7E
Content-Type: application/octet-stream; name="setup.exe"
Content-Disposition: attachment; filename="setup.exe"
Content-Transfer-Encoding: base64

{_b64(b"MZ" + bytes(300))}
------------0D1E2F3A4B5C6D7E--
""".encode()


def koi8r_base64(
    *, sender="user@old-koi.example", to=SUPPORT, message_id="<koi-1@old-koi.example>"
):
    """An old client: KOI8-R text in base64, subject in RFC 2047 KOI8-R."""
    text = "Добрый вечер! Не приходит СМС с кодом подтверждения на телефон.\n"
    return f"""From: {sender}
To: {to}
Subject: {Header("Не приходит СМС", "koi8-r").encode()}
Date: Mon, 7 Dec 2026 20:00:00 +0300
Message-ID: {message_id}
MIME-Version: 1.0
Content-Type: text/plain; charset=koi8-r
Content-Transfer-Encoding: base64

{_b64(text.encode("koi8-r"))}""".encode()


def big_text(*, sender="writer@example.ru", to=SUPPORT, message_id="<big-1@example.ru>"):
    """A 1 MB letter: more than an appeal's description holds."""
    paragraph = "Подробно описываю ситуацию с заявлением и все шаги, которые я сделал. " * 10
    body = ("Начало письма.\n\n" + (paragraph + "\n\n") * 1600)[: 1024 * 1024]
    return f"""From: {sender}
To: {to}
Subject: Очень длинное письмо
Date: Mon, 7 Dec 2026 13:00:00 +0300
Message-ID: {message_id}
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

{_b64(body.encode())}""".encode()


def vacation_reply(
    *, sender="petrova.anna@gmail.com", to=SUPPORT, message_id="<vacation-1@yandex.ru>"
):
    """Yandex's "I am away" answer: RFC 3834 Auto-Submitted."""
    return f"""From: {sender}
To: {to}
Subject: =?UTF-8?B?0JDQstGC0L7QvtGC0LLQtdGCOiDQvtGC0L/Rg9GB0Lo=?=
Date: Mon, 7 Dec 2026 14:00:00 +0300
Message-ID: {message_id}
Auto-Submitted: auto-replied
X-Yandex-Autoreply: yes
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Я в отпуске до 20 декабря.
""".encode()


def mailing_list(*, sender="news@shop.example", to=SUPPORT, message_id="<list-1@shop.example>"):
    return f"""From: {sender}
To: {to}
Subject: Скидки недели
Message-ID: {message_id}
List-Unsubscribe: <mailto:unsubscribe@shop.example>
Precedence: bulk
Content-Type: text/plain; charset=utf-8

Только сегодня!
""".encode()


def bounce(*, original_message_id: str, recipient="nobody@example.ru", to=SUPPORT):
    """Postfix's delivery status notification (RFC 3464) for a letter we sent."""
    return f"""Return-Path: <>
From: MAILER-DAEMON@mx.help.example.org (Mail Delivery System)
To: {to}
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Message-ID: <20261207150000.ABCDEF@mx.help.example.org>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="ABCDEF.1765108800/mx.help.example.org"

--ABCDEF.1765108800/mx.help.example.org
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.help.example.org.
I'm sorry to have to inform you that your message could not be delivered.

--ABCDEF.1765108800/mx.help.example.org
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.help.example.org
Arrival-Date: Mon,  7 Dec 2026 15:00:00 +0300 (MSK)

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.example.ru
Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown

--ABCDEF.1765108800/mx.help.example.org
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: support@help.example.org
To: {recipient}
Subject: Obrashchenie zaregistrirovano
Message-ID: {original_message_id}

--ABCDEF.1765108800/mx.help.example.org--
""".encode()


def plain(
    *,
    sender="citizen@example.ru",
    to=SUPPORT,
    message_id="<plain-1@example.ru>",
    subject="Вопрос",
    text="Здравствуйте! Вопрос о статусе заявления.",
    extra_headers="",
):
    return f"""From: {sender}
To: {to}
Subject: {subject}
Message-ID: {message_id}
{extra_headers}MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

{text}
""".encode()


def garbage() -> bytes:
    """What a broken client or a probe sends: no sender, no words."""
    return b"\x00\x01\x02 not a letter at all \xff\xfe"


def wire(raw: bytes) -> bytes:
    """As an MTA sends it: every line ends in CRLF (smtplib leaves bytes as they are)."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def forwarded_as_attachment(
    *, sender="ivanov@company.ru", to=SUPPORT, message_id="<fwa-1@company.ru>"
):
    """Outlook's "Forward as attachment": the original letter rides as message/rfc822."""
    inner = """From: =?utf-8?B?0JzQpNCm?= <info@mfc.example>
To: ivanov@company.ru
Subject: =?utf-8?B?0J7RgtC60LDQtyDQsiDQv9GA0LjRkdC80LU=?=
Date: Fri, 4 Dec 2026 15:00:00 +0300
Message-ID: <mfc-1@mfc.example>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

В приёме документов отказано: нет справки 2-НДФЛ.
"""
    return f"""From: {sender}
To: {to}
Subject: FW: =?utf-8?B?0J7RgtC60LDQtyDQsiDQv9GA0LjRkdC80LU=?=
Message-ID: {message_id}
X-Mailer: Microsoft Outlook 16.0
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="_fw_"

--_fw_
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Пересылаю отказ МФЦ.

--_fw_
Content-Type: message/rfc822
Content-Disposition: attachment

{inner}
--_fw_--
""".encode()
