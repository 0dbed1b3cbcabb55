from django.core.management.base import BaseCommand

from core import demo
from core.demo_seed import demo_seed, demo_two_factor_seeded


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
        if demo_two_factor_seeded():
            self.stdout.write(
                "The staff log-ins (training administrator, PPT reviewer, finance) also ask for a code from an "
                f"authenticator app: add the demo setup key {demo.DEMO_TOTP_SECRET} to yours (development only)."
            )
        else:
            self.stdout.write("The staff log-ins set up two-factor sign-in with an authenticator app at first sign-in.")
