from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from faq.demo import seed_faq
from portal.applications.demo import DEMO_KEY, seed_applications
from portal.catalogue.demo import seed_catalogue
from portal.demo import seed_users
from support.appeals.demo import seed_appeals
from support.callbacks.demo import seed_callbacks
from support.chat.demo import seed_canned_answers
from support.contacts.demo import seed_contacts
from support.demo_load import seed_load_history
from support.maintenance.demo import seed_technical_works


class Command(BaseCommand):
    help = "Load the Russian demo content and the demo accounts (safe to run again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-load-history",
            dest="load_history",
            action="store_false",
            help="Skip the eight weeks of closed appeals behind the contacts page's load chart.",
        )

    # The demo's history is written through the actions, which mail the citizen after each
    # commit; those letters would go to the demo addresses (on a server with a real mail
    # gateway too) and, printed by `make run` before the server starts, link to the
    # default SITE_URL whatever PORT is.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    def handle(self, *args, **options) -> None:
        verbose = options["verbosity"] > 0
        seed_users()
        seed_contacts()
        services = seed_catalogue()
        articles = seed_faq()
        appeals = seed_appeals()
        applications = seed_applications()
        load = seed_load_history() if options.get("load_history", True) else 0
        works = seed_technical_works()
        callbacks = seed_callbacks()
        canned = seed_canned_answers()
        if verbose:
            self.stdout.write("Demo accounts: citizen, operator, supervisor, editor (see README)")
            self.stdout.write(f"Catalogue: {services} published services indexed")
            self.stdout.write(f"FAQ: {articles} published articles indexed")
            self.stdout.write(f"Appeals: {appeals} demo appeals added")
            self.stdout.write(f"Service applications: {applications} demo applications added")
            self.stdout.write(
                f"Demo department API key (МВД, local use only): Authorization: Api-Key {DEMO_KEY}"
            )
            self.stdout.write(f"Contacts load chart: {load} closed demo appeals over 8 weeks")
            self.stdout.write(f"Call-backs: {callbacks} demo call-backs added")
            self.stdout.write(f"Chat: {canned} canned answers for operators added")
            self.stdout.write(f"Technical works: {works} (one planned, one finished)")
            self.stdout.write(self.style.SUCCESS("Demo data is ready."))
