"""chatdong settings: one module, driven by the environment (django-environ).

Every variable is documented in README.md. When DATABASE_URL / REDIS_URL are not set,
the embedded launcher (chatdong.embedded) writes them to .chatdong/services.env while its
servers run; values in the real environment always win.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = BASE_DIR / ".chatdong"

env = environ.Env()
_services_env = STATE_DIR / "services.env"
if _services_env.exists():
    # setdefault semantics: variables already in the environment are kept.
    environ.Env.read_env(str(_services_env))

DEBUG = env.bool("DEBUG", default=False)
# The development keys committed below are accepted only on a development machine: with DEBUG
# on, or with ALLOW_DEV_KEYS, which `make run`, `make test` (chatdong.embedded) and the test
# suite set. Anything else that starts on them (a deploy that forgot a key) is refused below.
ALLOW_DEV_KEYS = DEBUG or env.bool("ALLOW_DEV_KEYS", default=False)
DEV_KEYS = {
    "SECRET_KEY": "chatdong-dev-only-insecure-key-change-me-in-production-0123",
    "FIELD_ENCRYPTION_KEY": "8g3ODS5B2cH0i8Qm4bqk9G8o0t9dJQnO4Yk7x6i0m9E=",
    "BLIND_INDEX_KEY": "chatdong-dev-blind-index-key",
}
SECRET_KEY = env("SECRET_KEY", default=DEV_KEYS["SECRET_KEY"])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Behind a TLS proxy. TRUSTED_PROXIES (addresses or CIDR networks of the proxies we run) decides
# how far X-Forwarded-For is believed: chatdong.proxy.client_ip, used by the access log,
# django-axes and the public report limit. Empty: the header is ignored.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
try:
    for _proxy in TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy)  # strict, as gunicorn reads the same list
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES에 IP 주소나 CIDR이 아닌 값이 있습니다: {exc}") from exc
# The header the proxy sets to "https" (e.g. X-Forwarded-Proto), so that request.is_secure()
# and absolute URLs (the API's `next` links) say https. Only set it when the proxy always
# overwrites that header; unset, Django trusts no header.
if PROXY_SSL_HEADER := env("PROXY_SSL_HEADER", default=""):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# Base URL of links in e-mails (e.g. https://chatdong.example.go.kr); empty: relative links.
SITE_URL = env("SITE_URL", default="").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_celery_beat",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "csp",
    "pgtrigger",
    "pghistory",
    "import_export",
    "chatdong.areas",
    "chatdong.accounts",
    "chatdong.policy",
    "chatdong.audit",
    "chatdong.notifications",
    "chatdong.web",
    "chatdong.demo",
    "cases",
    "cases.care_sos",
    "outreach",
]

MIDDLEWARE = [
    "chatdong.audit.context.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files keep their long-lived caching and need no CSP of their own.
    "csp.middleware.CSPMiddleware",
    "chatdong.web.headers.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chatdong.accounts.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chatdong.urls"
WSGI_APPLICATION = "chatdong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chatdong.web.context_processors.navigation",
                "chatdong.notifications.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default="postgres://postgres@127.0.0.1:5432/chatdong",
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL.replace("redis+socket://", "unix://"),
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="chatdong"),
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: 30 minutes of inactivity ends a session (IdleTimeoutMiddleware).
SESSION_IDLE_TIMEOUT = timedelta(minutes=env.int("SESSION_IDLE_MINUTES", default=30))
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# A stale or missing CSRF token gets a Korean page instead of Django's English one.
CSRF_FAILURE_VIEW = "chatdong.web.views.csrf_failure"

# django-axes: lock an account+IP after 5 failed logins for an hour.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
# The client behind our proxies, not the proxy: otherwise anyone could lock any account.
AXES_CLIENT_IP_CALLABLE = "chatdong.proxy.client_ip"

LANGUAGE_CODE = "ko-kr"
LANGUAGES = [("ko", "한국어")]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
# Off: ids and years must never render as "1,429"; money and counts use |intcomma explicitly.
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=str(STATE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Privacy keys (resident registration numbers): Fernet for ciphertext, HMAC for the
# blind index. Defaults are for development only; production must set both.
FIELD_ENCRYPTION_KEY = env("FIELD_ENCRYPTION_KEY", default=DEV_KEYS["FIELD_ENCRYPTION_KEY"])
BLIND_INDEX_KEY = env("BLIND_INDEX_KEY", default=DEV_KEYS["BLIND_INDEX_KEY"])

# Refused whether the variable is missing or set to the committed value (copied from git).
_dev_keys_in_use = [name for name, value in DEV_KEYS.items() if globals()[name] == value]
if _dev_keys_in_use and not ALLOW_DEV_KEYS:
    raise ImproperlyConfigured(
        "운영 모드(DEBUG 꺼짐)에서는 저장소에 공개된 개발용 키로 시작할 수 없습니다: "
        + ", ".join(_dev_keys_in_use)
        + ". 이 환경 변수에 실제 키를 설정하세요(README 'Configuration' 참고). "
        "개발 환경이라면 DEBUG=true 또는 ALLOW_DEV_KEYS=true로 실행하세요."
    )

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Used by the file-based backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend).
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(STATE_DIR / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="chatdong@localhost")

# Public report page (/report/): successful reports allowed per client IP per window.
PUBLIC_REPORT_LIMIT = env.int("PUBLIC_REPORT_LIMIT", default=5)
PUBLIC_REPORT_WINDOW_SECONDS = env.int("PUBLIC_REPORT_WINDOW_SECONDS", default=3600)

# HMAC secret of the activity webhook (/webhooks/activity/); empty: every request is refused.
ACTIVITY_WEBHOOK_SECRET = env("ACTIVITY_WEBHOOK_SECRET", default="")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Masks anything shaped like an RRN in error bodies (validation messages echo input).
    "EXCEPTION_HANDLER": "cases.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "chatdong API",
    "DESCRIPTION": "찾아가는 동주민센터 사례관리 API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Stable enum component names (several models share field names like status/outcome).
    "ENUM_NAME_OVERRIDES": {
        "ContactModeEnum": "cases.models.contacts.ContactMode",
        "ContactOutcomeEnum": "cases.models.contacts.ContactOutcome",
        "CompanionEnum": "cases.models.contacts.Companion",
        "ReportChannelEnum": "cases.models.discovery.ReportChannel",
        "ReportStatusEnum": "cases.models.discovery.ReportStatus",
        "ReportOutcomeEnum": "cases.models.discovery.ReportOutcome",
        "HousingTypeEnum": "cases.models.households.HousingType",
        "TenureEnum": "cases.models.households.Tenure",
        "BenefitEnum": "cases.models.households.Benefit",
        "ArrearEnum": "cases.models.households.Arrear",
        "CutoffEnum": "cases.models.households.Cutoff",
        "RiskTierEnum": "cases.models.households.RiskTier",
        "RelationEnum": "cases.models.households.Relation",
        "SexEnum": "cases.models.households.Sex",
        "DisabilityEnum": "cases.models.households.Disability",
        "CareGradeEnum": "cases.models.households.CareGrade",
        "RoleEnum": "chatdong.accounts.roles.Role",
        "ChecklistAnswerEnum": "cases.services.contacts.CHECKLIST_ANSWERS",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_rrn": {"()": "chatdong.audit.logging.RedactRRNFilter"},
        "request_id": {"()": "chatdong.audit.logging.RequestIdFilter"},
    },
    "formatters": {"plain": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_rrn", "request_id"], "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): scripts only from our own static files, no inline
# script or event handler anywhere (static/js/ holds them); styles from static/css/ too, no
# style attribute; htmx is told not to inject its indicator <style> (htmx-config in base.html).
# The one page that keeps its <style> (the printable care plan) carries the request's nonce;
# the nonce is only in the header of responses that used it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
