"""Settings for the test suite: the project's settings with a fast password hasher and plain HTTP.

The secure defaults (HTTPS redirect, secure cookies) stay as they are in `portal.settings`; they are
checked by `tests/portal/test_deploy_check.py`, which runs `check --deploy` on those settings.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("USAGE_CONNECTOR_KEYS", "Fs0QsGyPR6eVKQdVeDcKAHmeUa3BKCugXkB2_qKAErE=")  # tests only

from portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # serve from the apps' static folders, no collectstatic needed
USAGE_CONNECTOR_BACKOFF_S = 0.01  # retries still happen, and Retry-After is still honoured
