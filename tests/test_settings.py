"""settings.py read in a fresh process, as a deploy would: the development keys are refused
with DEBUG off, and the proxy, webhook and link settings come from the environment."""

import json
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet

from chatdong.embedded import BASE_DIR

KEYS = ("SECRET_KEY", "FIELD_ENCRYPTION_KEY", "BLIND_INDEX_KEY")
REAL_KEYS = {
    "SECRET_KEY": "a-real-production-secret-key-5f1c0b9e7d2a4c6e8b0d1f3a5c7e9b1d",
    "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
    "BLIND_INDEX_KEY": "a-real-blind-index-key-0a9b8c7d6e5f",
}
# Prints a few settings as JSON once Django is set up.
SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({k: getattr(s, k, None) for k in "
    "['DEBUG', 'TRUSTED_PROXIES', 'SECURE_PROXY_SSL_HEADER', 'SITE_URL', 'ACTIVITY_WEBHOOK_SECRET']}))"
)


def _django(**overrides):
    """`django.setup()` in a subprocess; DEBUG and ALLOW_DEV_KEYS explicitly off unless given
    (explicit, so that a services.env of a running `make run` cannot turn them on)."""
    env = {k: v for k, v in os.environ.items() if k not in KEYS}
    env.update(DJANGO_SETTINGS_MODULE="chatdong.settings", DEBUG="false", ALLOW_DEV_KEYS="false")
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "-c", SHOW], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def _settings(**overrides):
    result = _django(**overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_debug_off_on_the_development_keys_refuses_to_start_and_names_them():
    result = _django()
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "개발용 키로 시작할 수 없습니다: SECRET_KEY, FIELD_ENCRYPTION_KEY, BLIND_INDEX_KEY" in result.stderr


def test_one_forgotten_key_is_enough_to_refuse_and_is_the_one_named():
    result = _django(SECRET_KEY=REAL_KEYS["SECRET_KEY"], FIELD_ENCRYPTION_KEY=REAL_KEYS["FIELD_ENCRYPTION_KEY"])
    assert result.returncode != 0
    assert "개발용 키로 시작할 수 없습니다: BLIND_INDEX_KEY." in result.stderr


def test_the_committed_value_set_explicitly_is_refused_too():
    from django.conf import settings

    result = _django(**{**REAL_KEYS, "SECRET_KEY": settings.DEV_KEYS["SECRET_KEY"]})
    assert result.returncode != 0
    assert "개발용 키로 시작할 수 없습니다: SECRET_KEY." in result.stderr


def test_real_keys_start_with_debug_off():
    assert _settings(**REAL_KEYS)["DEBUG"] is False


@pytest.mark.parametrize("flag", [{"DEBUG": "true"}, {"ALLOW_DEV_KEYS": "true"}])
def test_development_keys_are_accepted_with_debug_or_on_a_development_run(flag):
    assert _settings(**flag)


def test_proxy_settings_come_from_the_environment():
    values = _settings(
        **REAL_KEYS, TRUSTED_PROXIES="10.0.0.0/8,192.0.2.7", PROXY_SSL_HEADER="X-Forwarded-Proto",
        SITE_URL="https://chatdong.example.go.kr/", ACTIVITY_WEBHOOK_SECRET="hook-secret",
    )
    assert values["TRUSTED_PROXIES"] == ["10.0.0.0/8", "192.0.2.7"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SITE_URL"] == "https://chatdong.example.go.kr"
    assert values["ACTIVITY_WEBHOOK_SECRET"] == "hook-secret"


def test_without_a_proxy_no_forwarded_header_is_trusted():
    values = _settings(**REAL_KEYS)
    assert values["TRUSTED_PROXIES"] == []
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_a_malformed_trusted_proxy_refuses_to_start():
    result = _django(**REAL_KEYS, TRUSTED_PROXIES="10.0.0.0/8,proxy.internal")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr and "proxy.internal" in result.stderr
