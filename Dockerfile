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
# database or secrets for that.
RUN python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --system --uid 10001 --home-dir /app --no-create-home chatdong

USER chatdong
EXPOSE 8000

# docker-compose.yml runs the worker and beat from this image with other commands.
CMD ["gunicorn", "chatdong.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
