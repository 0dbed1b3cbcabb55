"""A minimal demo seed for the smoke test: `demo_seed(minimal=True)`, the
partnership, its programme and users without the history, e-learning and
evaluation answers that take minutes to write and that a booking does not need.

The demo's 66 users would also each take the production PBKDF2 work factor.
Their hashes here use few iterations in the standard pbkdf2_sha256 format, so
the site's own hasher still checks them (and strengthens them at first sign-in).

Run from the project folder: python -m tests.smoke.seed
"""

import os

import django
from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import hashers

    from core import demo_seed

    settings.PASSWORD_HASHERS = [f"{__name__}.QuickPBKDF2PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()
    print(f"Demo data ready: {demo_seed.demo_seed(minimal=True)['sessions']} sessions.")


if __name__ == "__main__":
    main()
