import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.security.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def api_for():
    """An APIClient authenticated with a real token of `user` (token auth, as a client would)."""

    def _client(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Each world has a user per role; PBKDF2 would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _policy_thresholds(db):
    """Cadence thresholds (seeded by a data migration; re-seeded in case a transactional test flushed them)."""
    from chatdong.policy.seeds import seed_thresholds

    seed_thresholds()
