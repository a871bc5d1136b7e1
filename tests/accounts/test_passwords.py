import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab3$xyz", "password_too_short"),  # 7 characters, minimum is 10
        ("qwertyuiop", "password_too_common"),
        ("8203917465", "password_entirely_numeric"),
    ],
)
def test_weak_passwords_are_refused_in_korean(password, code):
    with pytest.raises(ValidationError) as info:
        validate_password(password)
    assert code in [e.code for e in info.value.error_list]
    assert any("비밀번호" in m for m in info.value.messages)


def test_password_like_the_username_is_refused():
    user = UserFactory(username="gangnam.planner")
    with pytest.raises(ValidationError) as info:
        validate_password("gangnam.planner1", user)
    assert "password_too_similar" in [e.code for e in info.value.error_list]


def test_a_long_unusual_password_is_accepted():
    validate_password("골목으로-간다-2018!")
