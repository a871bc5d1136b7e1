import pytest

from chatdong.accounts.roles import Role
from tests.factories import DongFactory, UserFactory

# Shared fixtures that live in their own modules.
pytest_plugins = ["tests.clock", "tests.celery_worker"]


@pytest.fixture
def dong(db):
    return DongFactory()


@pytest.fixture
def other_dong(db):
    return DongFactory()


@pytest.fixture
def make_user(db):
    def _make(role=Role.PLANNER, **kwargs):
        return UserFactory(role=role, **kwargs)

    return _make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create many users; the production hasher (PBKDF2) would dominate their time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
