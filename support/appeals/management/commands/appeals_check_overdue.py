from django.core.management.base import BaseCommand

from support.appeals import actions


class Command(BaseCommand):
    help = (
        "Daily appeals housekeeping: notify operators and supervisors about overdue appeals "
        "(at most once a day per appeal), close answers nobody contested for 30 days, and "
        "remove files uploaded for forms that were never sent. Run it from cron or a timer."
    )

    def handle(self, *args, **options) -> None:
        overdue = actions.appeals_notify_overdue()
        closed = actions.appeals_close_answered()
        removed = actions.attachments_pending_cleanup()
        self.stdout.write(
            f"Overdue notified: {overdue}; closed after the review window: {closed}; "
            f"stale uploads removed: {removed}"
        )
