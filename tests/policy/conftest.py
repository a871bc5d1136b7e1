import datetime

import pytest
from django.utils import timezone

from chatdong.accounts.roles import Role
from chatdong.policy.models import PolicyThreshold
from tests.factories import UserFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN)


@pytest.fixture
def in_force(db, today):
    """A test key with one open-ended version that started 30 days ago."""
    return PolicyThreshold.objects.create(
        key="test.visit_days",
        label="시험 방문 주기",
        value=7,
        unit="일",
        valid_from=today - 30 * DAY,
        source="시험용 문서",
    )
