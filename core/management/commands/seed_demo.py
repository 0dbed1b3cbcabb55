from django.core.management.base import BaseCommand

from core import demo
from core.demo_seed import demo_seed


class Command(BaseCommand):
    help = "Load the demo partnership: agencies, venues, a year's programme and one user per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--minimal", action="store_true",
            help="Only the partnership, its programme and users: no history, e-learning or evaluation answers.",
        )

    def handle(self, *args, **options):
        result = demo_seed(minimal=options["minimal"])
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {result['sessions']} sessions."))
        self.stdout.write(f"Demo log-ins (password for all: {demo.DEMO_PASSWORD}):")
        # Every demo user is also a Delegate, so the role shown is the one each was seeded for.
        for email in result["users"]:
            role = demo.ROLE_USERS[email][2]
            self.stdout.write(f"  {role:<24} {email}")
