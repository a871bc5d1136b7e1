import pytest

from tests.security.world import build_world


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # A world has one user per role; PBKDF2 would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _policy_thresholds(db):
    from chatdong.policy.seeds import seed_thresholds

    seed_thresholds()


@pytest.fixture
def world(db):
    return build_world()
