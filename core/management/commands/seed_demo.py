from django.core.management.base import BaseCommand

from core import demo
from core.demo_seed import demo_seed


class Command(BaseCommand):
    help = "Load the demo partnership: agencies, venues, a year's programme and one user per role."

    def handle(self, *args, **options):
        result = demo_seed()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {result['sessions']} sessions."))
        self.stdout.write(f"Demo log-ins (password for all: {demo.DEMO_PASSWORD}):")
        for email, user in result["users"].items():
            role = user.groups.values_list("name", flat=True).first()
            self.stdout.write(f"  {role:<24} {email}")
