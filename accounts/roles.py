"""The roles of the site. Each is a Django group; its permissions are created
by the data migration accounts/0002_roles.py."""

from django.db import models


class Role(models.TextChoices):
    DELEGATE = "Delegate"
    AGENCY_COORDINATOR = "Agency coordinator"
    TRAINER = "Trainer"
    TRAINING_ADMINISTRATOR = "Training administrator"
    PPT_REVIEWER = "PPT reviewer"
    FINANCE = "Finance"
