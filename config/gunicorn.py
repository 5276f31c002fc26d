"""Gunicorn settings for the production image (see docker-compose.yml).

GUNICORN_WORKERS and GUNICORN_TIMEOUT override the defaults for a bigger or smaller host; empty
means the default, so docker-compose.yml can pass them through unset."""

import multiprocessing
import sys

from config.env import EnvError, env_int

try:
    workers = env_int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9), minimum=1)
    # Uploads of registry spreadsheets (TERPADU_IMPORT_MAX_MB) over a district office's line can
    # take minutes; the import itself runs in the Celery worker.
    timeout = env_int("GUNICORN_TIMEOUT", 300, minimum=1)
except EnvError as error:
    sys.exit(f"Terpadu tidak bisa mulai / cannot start: variabel lingkungan {error}")

bind = "0.0.0.0:8000"
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
# NIK/No KK masked in both logs (config/redaction.py).
logger_class = "config.gunicorn_logger.RedactingLogger"
accesslog = "-"
errorlog = "-"
