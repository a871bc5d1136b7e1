"""Resident registration numbers (주민등록번호, 고유식별정보).

Stored only as Fernet ciphertext plus an HMAC-SHA256 blind index for exact-match lookup;
shown masked (`900101-1******`). Keys come from the environment (settings).
"""

import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError

RRN_RE = re.compile(r"^\s*(\d{6})\s*-?\s*([1-8])(\d{6})\s*$")


def normalize_rrn(raw: str) -> str:
    """'900101-1234567' / '9001011234567' → '9001011234567'; Korean error if malformed."""
    match = RRN_RE.match(raw or "")
    if not match:
        raise ValidationError("주민등록번호 형식이 올바르지 않습니다. 생년월일 6자리, 하이픈(-), 뒤 7자리 숫자로 입력해 주세요.")
    return "".join(match.groups())


def _fernet() -> Fernet:
    return Fernet(settings.FIELD_ENCRYPTION_KEY.encode())


def encrypt_rrn(rrn: str) -> str:
    return _fernet().encrypt(normalize_rrn(rrn).encode()).decode()


def decrypt_rrn(token: str) -> str:
    try:
        digits = _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key or tampered row: never echo the token
        raise ValueError("주민등록번호를 복호화할 수 없습니다.") from exc
    return f"{digits[:6]}-{digits[6:]}"


def blind_index(rrn: str) -> str:
    digits = normalize_rrn(rrn)
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()


def mask_rrn(rrn: str) -> str:
    digits = normalize_rrn(rrn)
    return f"{digits[:6]}-{digits[6]}******"
