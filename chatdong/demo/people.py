"""Plausible Korean people for demo and benchmark data: names, ages, phones, jobs, RRNs.

Everything takes an explicit `random.Random`, so a seed gives the same people every run.
Names come from Faker's ko_KR tables (weighted surnames, given names by sex), drawn here
directly because Faker's per-call overhead is too slow for a million residents.
"""

import calendar
import datetime
import itertools
import random
from collections import defaultdict

from faker.providers.person.ko_KR import Provider as _KoreanNames

_SURNAMES = list(_KoreanNames.last_names.keys())
_SURNAME_CUM = list(itertools.accumulate(_KoreanNames.last_names.values()))
_GIVEN = {"M": list(_KoreanNames.first_names_male), "F": list(_KoreanNames.first_names_female)}


def surname(rng: random.Random) -> str:
    return rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM)[0]


def given_name(rng: random.Random, sex: str) -> str:
    return rng.choice(_GIVEN[sex])


def korean_name(rng: random.Random, sex: str) -> str:
    return surname(rng) + given_name(rng, sex)


def mobile_phone(rng: random.Random) -> str:
    number = int(rng.random() * 80_000_000) + 20_000_000
    return f"010-{number // 10000:04d}-{number % 10000:04d}"


def landline_phone(rng: random.Random) -> str:
    """A Seoul (02) landline in 은평구's 35x/38x exchange range."""
    exchange = rng.choice((350, 352, 353, 354, 355, 356, 357, 358, 359, 382, 383, 384, 385, 386, 388, 389))
    return f"02-{exchange}-{rng.randrange(10000):04d}"


# Share of Seoul's registered population by age band, % (주민등록인구, around 2024). Within
# a band each year of age weighs the same, except the two universal-visit cohorts, pinned
# to the shares the outreach benchmarks expect (DOMAIN §6: those turning 65 and 70 this year).
_AGE_BANDS = (
    (0, 9, 5.6), (10, 19, 7.4), (20, 29, 13.9), (30, 39, 15.0), (40, 49, 14.6),
    (50, 59, 15.4), (60, 69, 14.3), (70, 79, 9.1), (80, 89, 3.9), (90, 100, 0.8),
)
PINNED_AGE_SHARES = {65: 1.3, 70: 1.1}
MAX_AGE = 100
ADULT_AGE = 20


def age_weights() -> list[float]:
    """Percent of residents of each age 0..100 (summing to 100)."""
    weights = [0.0] * (MAX_AGE + 1)
    for low, high, share in _AGE_BANDS:
        for age in range(low, high + 1):
            weights[age] = share / (high - low + 1)
    free = 100.0 - sum(PINNED_AGE_SHARES.values())
    others = sum(w for age, w in enumerate(weights) if age not in PINNED_AGE_SHARES)
    return [PINNED_AGE_SHARES.get(age, w * free / others) for age, w in enumerate(weights)]


def age_quota(total: int) -> list[int]:
    """How many of `total` residents have each age: exact counts (largest remainder), so a
    city of N residents has round(1.3 % · N) people turning 65 this year, not a sample."""
    weights = age_weights()
    raw = [w * total / 100.0 for w in weights]
    counts = [int(x) for x in raw]
    short = total - sum(counts)
    by_remainder = sorted(range(len(raw)), key=lambda age: raw[age] - counts[age], reverse=True)
    for age in by_remainder[:short]:
        counts[age] += 1
    return counts


def birth_date_for_age(rng: random.Random, age: int, today: datetime.date) -> datetime.date:
    """A birth date in the year that makes the person `age` this calendar year."""
    year = today.year - age
    first = datetime.date(year, 1, 1).toordinal()
    days = today.toordinal() - first + 1 if age == 0 else 366 if calendar.isleap(year) else 365
    return datetime.date.fromordinal(first + int(rng.random() * days))


# --- resident registration numbers ---------------------------------------------------------

_RRN_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)


def rrn_check_digit(first12: str) -> int:
    total = sum(int(d) * w for d, w in zip(first12, _RRN_WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def rrn_sex_digit(birth_date: datetime.date, sex: str) -> str:
    """7th digit: 1/2 for men/women born in the 1900s, 3/4 for the 2000s."""
    if birth_date.year >= 2000:
        return "3" if sex == "M" else "4"
    return "1" if sex == "M" else "2"


class RrnBlockFull(Exception):
    """More than 1,000 people share a birth date and sex within one block."""


class RrnAllocator:
    """Hands out unique, valid-looking RRNs: YYMMDD, the sex digit, a two-digit block, a
    three-digit serial per birth date and sex, and the check digit.

    Blocks keep generators apart: block 00 is the demo (seed_demo), blocks 01–99 are
    generate_city batches. Within a block every number is distinct by construction, so the
    unique blind index never rejects generated data.
    """

    def __init__(self, block: int):
        if not 0 <= block <= 99:
            raise ValueError("block must be 0..99")
        self.block = f"{block:02d}"
        self._serials: dict[tuple[datetime.date, str], int] = defaultdict(int)
        # (birth date, sex) → (first nine digits, their weighted sum for the check digit)
        self._fronts: dict[tuple[datetime.date, str], tuple[str, int]] = {}
        self._serial_sums = [sum(int(d) * w for d, w in zip(f"{n:03d}", _RRN_WEIGHTS[9:], strict=True)) for n in range(1000)]

    def next(self, birth_date: datetime.date, sex: str) -> str:
        key = (birth_date, sex)
        front = self._fronts.get(key)
        if front is None:
            digits = f"{birth_date:%y%m%d}{rrn_sex_digit(birth_date, sex)}{self.block}"
            front = self._fronts[key] = (digits, sum(int(d) * w for d, w in zip(digits, _RRN_WEIGHTS, strict=False)))
        serial = self._serials[key]
        if serial > 999:
            raise RrnBlockFull(front[0][:7])
        self._serials[key] = serial + 1
        check = (11 - (front[1] + self._serial_sums[serial]) % 11) % 10
        return f"{front[0]}{serial:03d}{check}"


# --- jobs and health notes -----------------------------------------------------------------

JOBS_WORKING = (
    "회사원", "회사원", "자영업", "일용직 근로자", "택배기사", "식당 종업원", "요양보호사", "경비원",
    "청소원", "간호조무사", "프리랜서", "공무원", "교사", "판매원", "건설 현장 근로자", "배달원",
    "미용사", "운전기사", "사회복지사", "아르바이트",
)
JOBS_ELDERLY = ("무직", "무직", "무직", "경비원", "노인일자리 참여", "폐지 수집", "자영업", "청소원")
JOBS_NONE = ("무직", "구직 중", "주부")


def job_for(rng: random.Random, age: int) -> str:
    if age < 7:
        return ""
    if age < 20:
        return "학생"
    if age < 25 and rng.random() < 0.5:
        return "대학생"
    if age >= 65:
        return rng.choice(JOBS_ELDERLY)
    return rng.choice(JOBS_NONE) if rng.random() < 0.2 else rng.choice(JOBS_WORKING)


HEALTH_NOTES_ELDERLY = (
    "고혈압 약 복용 중", "당뇨·고혈압 약 복용", "무릎 관절염으로 거동 불편", "경도 인지장애 의심",
    "허리 통증, 보행보조기 사용", "백내장 수술 후 경과 관찰", "우울감 호소", "청력 저하",
    "심장질환 정기 진료(대학병원)", "치매 진단, 주간보호센터 이용",
)
HEALTH_NOTES_ADULT = (
    "알코올 의존 의심", "우울증 치료 중", "허리 디스크", "만성 신부전 투석 중", "공황장애 치료 중",
    "당뇨 관리 필요",
)
