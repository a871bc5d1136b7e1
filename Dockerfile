# Production-like image: the app runs from source in /app (templates/ and static/ live
# next to the packages), dependencies installed from pyproject.toml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=chatdong.settings \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app

# Dependencies first, so that code changes reuse this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Static files are collected (and compressed by WhiteNoise) at build time; settings need no
# database or secrets for that, so this one command may load them on the development keys
# (the running containers are refused them: see README "Configuration").
RUN ALLOW_DEV_KEYS=true python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --system --uid 10001 --home-dir /app --no-create-home chatdong

USER chatdong
EXPOSE 8000

# docker-compose.yml runs the worker and beat from this image with other commands.
# gunicorn believes X-Forwarded-Proto only from TRUSTED_PROXIES (the TLS proxy), so that
# requests it forwards are https to Django; without it, only from the container itself.
CMD ["sh", "-c", "exec gunicorn chatdong.wsgi --bind 0.0.0.0:8000 --workers \"${WEB_WORKERS:-3}\" --forwarded-allow-ips \"${TRUSTED_PROXIES:-127.0.0.1,::1}\" --access-logfile -"]
