import pgtrigger
import pytest
from django.core.management.commands import flush

from chatdong.accounts.roles import Role
from tests.factories import DongFactory, UserFactory

_flush = flush.Command.handle


def _flush_past_the_access_log_guard(self, *args, **options):
    """`flush` (run after every transactional test, and by some tests) TRUNCATEs every table;
    the access log refuses TRUNCATE (tests/audit), so in the test suite flush steps past it."""
    with pgtrigger.ignore("audit.AccessLog:accesslog_no_truncate"):
        return _flush(self, *args, **options)


flush.Command.handle = _flush_past_the_access_log_guard

# Shared fixtures that live in their own modules.
pytest_plugins = ["tests.clock", "tests.celery_worker"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with its "today" on this run's clock (tests/clock.py)."""
    from tests import clock  # a plugin (pytest_plugins above): imported by pytest first

    with django_db_blocker.unblock():
        clock.install_database_clock()
    yield
    if clock.shifted():
        with django_db_blocker.unblock():
            clock.install_database_clock(real=True)


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
