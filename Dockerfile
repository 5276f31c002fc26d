# Terpadu production image. One image runs every service of docker-compose.yml:
# web (gunicorn), worker and beat (Celery) and the one-shot migrate step.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    TERPADU_DATA_DIR=/data

# gettext: compilemessages turns the locale/ catalogues into .mo files at build time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 terpadu \
    && mkdir -p /data/media \
    && chown -R terpadu:terpadu /data

WORKDIR /app

# The dependencies alone first, so a code change reuses this layer: exactly the versions of
# requirements.lock (pyproject.toml's base dependencies; refresh: python -m config.lock), without
# the embedded PostgreSQL/Redis of ./terpadu and without the test tools.
COPY requirements.lock ./
RUN pip install --no-deps -r requirements.lock && pip check

COPY . .

# Settings refuse to load without production values; these placeholders exist only for the
# build steps, which touch neither the database nor Redis.
RUN export DJANGO_DEBUG=0 \
        DJANGO_SECRET_KEY=build-only-placeholder-never-used-at-run-time-0123456789abcdef \
        DJANGO_ALLOWED_HOSTS=build.invalid \
        DATABASE_URL=postgresql://build@build.invalid/build \
        REDIS_URL=redis://build.invalid:6379/0 \
    && python manage.py collectstatic --noinput -v 0 \
    && if [ -d locale ]; then python manage.py compilemessages -v 0; fi

USER terpadu
EXPOSE 8000
VOLUME ["/data"]
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
