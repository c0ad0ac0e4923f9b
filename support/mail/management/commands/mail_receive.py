"""`manage.py mail_receive`: the receiver the MTA delivers letters to (SMTP or LMTP)."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from support.mail.actions import letters_resume
from support.mail.receiver import receiver_make

RESUME_EVERY_SECONDS = 600


class Command(BaseCommand):
    help = "Receive letters to the support address by SMTP or LMTP and turn them into appeals."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default=settings.MAIL_RECEIVE_HOST)
        parser.add_argument("--port", type=int, default=settings.MAIL_RECEIVE_PORT)
        parser.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")
        parser.add_argument("--socket", default="", help="LMTP on this Unix socket instead of TCP")

    def handle(self, *args, host: str, port: int, lmtp: bool, socket: str, **options) -> None:
        # Letters a stopped or crashed receiver left half-done go through first.
        resumed = letters_resume()
        if resumed:
            self.stdout.write(f"Resumed {resumed} stored letter(s).")
        controller = receiver_make(host=host, port=port, lmtp=lmtp, unix_socket=socket)
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stop.set())
        controller.start()
        where = socket or f"{host}:{port}"
        self.stdout.write(f"Receiving mail ({'LMTP' if lmtp or socket else 'SMTP'}) on {where}")
        try:
            # Now and then, what no task picked up (a worker that died after the commit).
            while not stop.wait(timeout=RESUME_EVERY_SECONDS):
                letters_resume()
        finally:
            controller.stop()
