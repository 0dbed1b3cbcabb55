"""Uploads on shared storage (MEDIA_STORAGE=s3) stay private: the settings are read
at start-up, so each case starts a fresh interpreter with its environment."""

import json
import os
import subprocess
import sys

from django.conf import settings

SHOW_MEDIA_STORAGE = """
import django, json
django.setup()
from django.core.files.storage import storages
storage = storages["default"]
print(json.dumps({"class": type(storage).__name__, "acl": getattr(storage, "default_acl", None),
                  "signed": getattr(storage, "querystring_auth", None), "bucket": getattr(storage, "bucket_name", None),
                  "overwrite": getattr(storage, "file_overwrite", None)}))
"""


def _media_storage(**environment):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **environment}
    done = subprocess.run(
        [sys.executable, "-c", SHOW_MEDIA_STORAGE], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_uploads_are_on_this_hosts_disk_by_default():
    assert _media_storage()["class"] == "FileSystemStorage"


def test_uploads_in_a_bucket_are_private_and_never_overwritten():
    storage = _media_storage(
        MEDIA_STORAGE="s3", MEDIA_S3_BUCKET="lscp-media", MEDIA_S3_ENDPOINT_URL="https://objects.example.net"
    )

    assert storage == {
        "class": "S3Storage",
        "acl": "private",
        "signed": True,
        "bucket": "lscp-media",
        "overwrite": False,
    }
