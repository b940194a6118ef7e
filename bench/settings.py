"""The production settings, plus a bare JSON view to measure against (bench/urls.py)."""

import os
import warnings

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("USAGE_CONNECTOR_KEYS", "hP5ilaZpXbGhmd-kOqpNLTlKZi6osFVFR3LlcxtTAls=")  # bench only

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": True}

# No collectstatic for a benchmark that serves no static file.
warnings.filterwarnings("ignore", message="No directory at")
# Pages render without collectstatic.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
