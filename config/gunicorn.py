"""Gunicorn settings for the production image (see docker-compose.yml).

GUNICORN_WORKERS and GUNICORN_TIMEOUT override the defaults for a bigger or smaller host."""

import multiprocessing
import os

bind = "0.0.0.0:8000"
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
# Uploads of registry spreadsheets (TERPADU_IMPORT_MAX_MB) over a district office's line can
# take minutes; the import itself runs in the Celery worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 300))
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
