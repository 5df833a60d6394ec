"""The Celery app: configured from Django's settings (CELERY_*), tasks found in each app's
``tasks.py``. Start a worker with ``celery -A pilot worker``, beat with ``celery -A pilot beat``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pilot.settings")

app = Celery("pilot")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
