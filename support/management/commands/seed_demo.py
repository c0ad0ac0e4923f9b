from django.core.management.base import BaseCommand

from faq.demo import seed_faq
from portal.catalogue.demo import seed_catalogue
from portal.demo import seed_users
from support.contacts.demo import seed_contacts


class Command(BaseCommand):
    help = "Load the Russian demo content and the demo accounts (safe to run again)."

    def handle(self, *args, **options) -> None:
        seed_users()
        self.stdout.write("Demo accounts: citizen, operator, editor")
        seed_contacts()
        services = seed_catalogue()
        self.stdout.write(f"Catalogue: {services} published services indexed")
        articles = seed_faq()
        self.stdout.write(f"FAQ: {articles} published articles indexed")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
