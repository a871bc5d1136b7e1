"""The 은평구 demo: staff for every role, and a realistic caseload in four dongs.

`demo_seed` is deterministic (Faker ko_KR and `random.Random` both seeded with DEMO_SEED) and
idempotent: areas and tongs are upserted, demo users are created only when missing, and the
caseload (households, residents, contacts, tier history, crisis reports, partners) is built
once — a second run finds the demo planners' households and leaves everything as it is.
The year's outreach campaigns, their visit tasks and results, and the activity devices
(`chatdong.demo.outreach`) are likewise created only when missing, and so are the Care SOS
providers and requests (`chatdong.demo.care_sos`), walked through the Care SOS services.
"""

import datetime
import os
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from cases import crypto
from cases.models import (
    CHECKLIST_ITEMS,
    Companion,
    Contact,
    ContactMode,
    ContactOutcome,
    CrisisReport,
    Household,
    Partner,
    PartnerKind,
    Relation,
    ReportChannel,
    ReportOutcome,
    ReportStatus,
    Resident,
    RiskTier,
    RiskTierChange,
)
from cases.services.contacts import NOT_HOME_REVISIT_KEY, default_revisit_on
from cases.services.households import home_visit_days, tier_cadence_days
from chatdong.accounts.models import User
from chatdong.accounts.roles import TONG_ROLES, Role, area_level, has_role
from chatdong.accounts.rules import is_planner
from chatdong.areas.models import Dong, Gu, Region, Tong
from chatdong.areas.seoul import EUNPYEONG_GU_CODE, load_reference_areas
from chatdong.demo import care_sos, outreach, people, places, profiles
from chatdong.demo.profiles import Member

DEMO_SEED = 2026
DEMO_PASSWORD_ENV = "DEMO_PASSWORD"
DEFAULT_DEMO_PASSWORD = "chatdong-demo-2026"
# RRN block 00 is the demo's (generate_city batches use 01–99): the two never collide.
DEMO_RRN_BLOCK = 0

MAIN_DONG = "불광1동"
# Dongs with a caseload and their number of households (before --scale).
CASELOAD_DONGS = {"불광1동": 260, "응암2동": 210, "녹번동": 180, "진관동": 150}

# username, role, dong (None: gu or city scope). The first account of each role is the demo
# login for that role; the others make the dong teams realistic (several planners per dong).
STAFF: tuple[tuple[str, str, str | None], ...] = (
    ("planner1", Role.PLANNER, "불광1동"),
    ("nurse1", Role.NURSE, "불광1동"),
    ("officer1", Role.NEIGHBOURHOOD_OFFICER, "불광1동"),
    ("counsellor1", Role.COUNSELLOR, "불광1동"),
    ("leader1", Role.TEAM_LEADER, "불광1동"),
    ("donghead1", Role.DONG_HEAD, "불광1동"),
    ("caremanager1", Role.CARE_MANAGER, "불광1동"),
    ("coordinator1", Role.GU_COORDINATOR, None),
    ("analyst1", Role.CITY_ANALYST, None),
    ("admin1", Role.ADMIN, None),
    ("planner5", Role.PLANNER, "불광1동"),
    ("planner6", Role.PLANNER, "불광1동"),
    ("planner2", Role.PLANNER, "응암2동"),
    ("planner7", Role.PLANNER, "응암2동"),
    ("nurse2", Role.NURSE, "응암2동"),
    ("officer2", Role.NEIGHBOURHOOD_OFFICER, "응암2동"),
    ("leader2", Role.TEAM_LEADER, "응암2동"),
    ("planner3", Role.PLANNER, "녹번동"),
    ("nurse3", Role.NURSE, "녹번동"),
    ("officer3", Role.NEIGHBOURHOOD_OFFICER, "녹번동"),
    ("planner4", Role.PLANNER, "진관동"),
    ("nurse4", Role.NURSE, "진관동"),
    ("officer4", Role.NEIGHBOURHOOD_OFFICER, "진관동"),
)
DEMO_LOGINS = tuple(username for username, _, _ in STAFF[:10])

# The tiers that have a contact cadence (policy `risk_tier.<tier>.contact_days`).
CADENCE_TIERS = (RiskTier.HIGH, RiskTier.WATCH, RiskTier.CONCERN, RiskTier.CLOSED)
# Answers to the six-item checklist, as the contact form stores them (item code → answer).
CHECKLIST_ANSWERS = ("ok", "concern", "problem")
REACHED = frozenset({ContactOutcome.MET, ContactOutcome.REFUSED})


@dataclass
class SeedResult:
    created: bool
    logins: list[User]
    counts: dict = field(default_factory=dict)  # caseload counts (when created) + "outreach", "care_sos"


def demo_password() -> str:
    return os.environ.get(DEMO_PASSWORD_ENV) or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def demo_seed(*, password: str, scale: float = 1.0, today: datetime.date | None = None) -> SeedResult:
    """Build (or find) the 은평구 demo. `scale` multiplies the number of households per dong."""
    validate_password(password)
    today = today or timezone.localdate()
    load_reference_areas(Gu, Region, Dong)
    gu = Gu.objects.get(code=EUNPYEONG_GU_CODE)
    dongs = {d.name: d for d in Dong.objects.filter(gu=gu)}
    tongs = _ensure_tongs(list(dongs.values()))

    fake = Faker("ko_KR")
    fake.seed_instance(DEMO_SEED)
    users = _ensure_staff(fake=fake, password=password, gu=gu, dongs=dongs, tongs=tongs)
    logins = [users[username] for username in DEMO_LOGINS]

    planners = [u for u in users.values() if is_planner(u)]
    created, counts = False, {}
    if not Household.objects.filter(planner__in=planners).exists():
        builder = _CaseloadBuilder(
            rng=random.Random(DEMO_SEED), fake=fake, today=today, gu=gu, dongs=dongs, tongs=tongs, users=users
        )
        counts = builder.build(scale=scale)
        created = True
    # Outreach on top of the caseload (also added to a demo seeded before it existed).
    counts["outreach"] = outreach.seed_outreach(
        users=users, dongs=[dongs[name] for name in CASELOAD_DONGS], today=today, seed=DEMO_SEED
    )
    # Care SOS providers and requests in every stage, on the same caseload.
    counts["care_sos"] = care_sos.seed_care_sos(users=users, gu=gu, dongs=dongs, today=today)
    return SeedResult(created=created, logins=logins, counts=counts)


# --- areas and staff ---------------------------------------------------------------------------

def _ensure_tongs(dongs: list[Dong]) -> dict[int, list[Tong]]:
    Tong.objects.bulk_create(
        [Tong(dong=dong, number=number, ban_count=bans) for dong in dongs for number, bans in places.tong_plan(dong.code)],
        ignore_conflicts=True,
    )
    by_dong: dict[int, list[Tong]] = {dong.pk: [] for dong in dongs}
    for tong in Tong.objects.filter(dong__in=dongs).order_by("dong_id", "number"):
        by_dong[tong.dong_id].append(tong)
    return by_dong


def _ensure_staff(*, fake: Faker, password: str, gu: Gu, dongs: dict[str, Dong], tongs) -> dict[str, User]:
    """Create missing demo users (existing ones are left as they are, password included)."""
    existing = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in STAFF])}
    password_hash = None
    users: dict[str, User] = {}
    for username, role, dong_name in STAFF:
        name = fake.name()  # drawn for every account so names do not depend on what exists
        if username in existing:
            users[username] = existing[username]
            continue
        if password_hash is None:
            # One PBKDF2 run for all demo accounts: they share the one demo password.
            password_hash = make_password(password)
        dong = dongs[dong_name] if dong_name else None
        user = User(
            username=username, name=name, role=role, dong=dong,
            gu=gu if area_level(role) != "city" else None,
            email=f"{username}@demo.chatdong.kr", phone=f"02-351-{3000 + len(users):04d}",
            is_superuser=has_role(role, Role.ADMIN), password=password_hash,
        )
        user.save()
        users[username] = user
        if has_role(role, TONG_ROLES):
            planners = [u for u, r, d in STAFF if has_role(r, Role.PLANNER) and d == dong_name]
            user.tongs.set(_tongs_for(user, planners, tongs))
    return users


def _tongs_for(user: User, dong_planners: list[str], tongs) -> list[Tong]:
    """Planners split their dong's tongs in contiguous blocks; the officer covers all of them."""
    dong_tongs = tongs[user.dong_id]
    if not is_planner(user):
        return dong_tongs
    index, count = dong_planners.index(user.username), len(dong_planners)
    return [t for i, t in enumerate(dong_tongs) if i * count // len(dong_tongs) == index]


# --- the caseload --------------------------------------------------------------------------------

COMPOSITIONS = (
    ("elderly_alone", 19), ("adult_alone", 16), ("elderly_couple", 11), ("couple", 8), ("couple_kids", 19),
    ("single_parent", 6), ("three_generations", 5), ("adult_with_parent", 9), ("siblings", 4),
    ("grandparent_grandchild", 3),
)
HOUSING_BY_DONG = {
    "불광1동": {"multi_family": 30, "apartment": 22, "one_room": 12, "semi_basement": 10, "detached": 10,
               "rental_apartment": 6, "gosiwon": 4, "rooftop": 3, "other": 3},
    "응암2동": {"apartment": 34, "multi_family": 28, "semi_basement": 9, "one_room": 10, "detached": 8,
               "rental_apartment": 5, "gosiwon": 2, "rooftop": 2, "other": 2},
    "녹번동": {"apartment": 45, "multi_family": 22, "one_room": 10, "semi_basement": 6, "detached": 7,
              "rental_apartment": 5, "gosiwon": 2, "rooftop": 1, "other": 2},
    "진관동": {"apartment": 55, "rental_apartment": 20, "multi_family": 10, "detached": 8, "one_room": 5,
              "other": 2},
}


def _elderly_age(rng: random.Random, low: int = 65) -> int:
    """Ages of older residents, with the universal-visit cohorts (65 and 70 this year) well represented."""
    roll = rng.random()
    if low <= 65 and roll < 0.14:
        return 65
    if low <= 70 and roll < 0.27:
        return 70
    return min(98, max(low, int(66 + rng.betavariate(1.3, 2.6) * 32)))


def _adult_age(rng: random.Random, low: int, high: int) -> int:
    return rng.randint(low, high)


def _members(rng: random.Random, kind: str) -> list[Member]:
    def person(relation, age, sex):
        return Member(relation=relation, age=max(0, age), sex=sex)

    other = {"M": "F", "F": "M"}
    if kind == "elderly_alone":
        return [person(Relation.HEAD, _elderly_age(rng), "F" if rng.random() < 0.68 else "M")]
    if kind == "adult_alone":
        age = min(64, int(22 + rng.betavariate(1.5, 2.2) * 43))
        return [person(Relation.HEAD, age, "M" if rng.random() < 0.55 else "F")]
    if kind == "elderly_couple":
        head = _elderly_age(rng)
        return [person(Relation.HEAD, head, "M"), person(Relation.SPOUSE, max(60, head - rng.randint(0, 5)), "F")]
    if kind == "couple":
        head = _adult_age(rng, 27, 64)
        return [person(Relation.HEAD, head, "M"), person(Relation.SPOUSE, head + rng.randint(-4, 2), "F")]
    if kind in ("couple_kids", "single_parent", "three_generations"):
        head_sex = "F" if kind == "single_parent" and rng.random() < 0.8 else "M"
        head = _adult_age(rng, 29, 52)
        members = [person(Relation.HEAD, head, head_sex)]
        if kind != "single_parent":
            members.append(person(Relation.SPOUSE, head + rng.randint(-4, 2), other[head_sex]))
        youngest = rng.randint(0, min(12, head - 22))
        for i in range(rng.choices((1, 2, 3), weights=(40, 48, 12))[0]):
            age = youngest + i * rng.randint(1, 4)
            if age <= head - 20:
                members.append(person(Relation.CHILD, age, rng.choice("MF")))
        if kind == "three_generations":
            members.append(person(Relation.PARENT, min(98, head + rng.randint(25, 33)), "F" if rng.random() < 0.7 else "M"))
        return members
    if kind == "adult_with_parent":
        head = _adult_age(rng, 35, 62)
        parent = max(65, min(98, head + rng.randint(25, 34)))
        return [person(Relation.HEAD, head, rng.choice("MF")),
                person(Relation.PARENT, parent, "F" if rng.random() < 0.7 else "M")]
    if kind == "siblings":
        head = _adult_age(rng, 25, 60)
        return [person(Relation.HEAD, head, rng.choice("MF")),
                person(Relation.SIBLING, max(20, head + rng.randint(-6, 6)), rng.choice("MF"))]
    # 조손가구: a grandparent raising grandchildren
    head = _elderly_age(rng, low=65)
    members = [person(Relation.HEAD, head, "F" if rng.random() < 0.7 else "M")]
    for _ in range(rng.choice((1, 1, 2))):
        members.append(person(Relation.GRANDCHILD, rng.randint(4, 17), rng.choice("MF")))
    return members


def _housing_for(rng: random.Random, dong_name: str, members: list[Member]) -> str:
    weights = dict(HOUSING_BY_DONG[dong_name])
    if len(members) == 1:
        # One-person households concentrate in small rented rooms (DOMAIN §6 survey targets).
        for kind, extra in (("one_room", 12), ("gosiwon", 4), ("semi_basement", 5), ("rooftop", 3), ("multi_family", 6)):
            if kind in weights:
                weights[kind] += extra
    return rng.choices(list(weights), weights=list(weights.values()))[0]


VISIT_NOTES = (
    "가정방문. 식사·복약 상태 양호, 집 안 정리 상태 보통.",
    "가정방문. 최근 병원 진료를 미루고 있어 보건소 연계 안내.",
    "가정방문. 난방비 부담 호소, 에너지 바우처 신청 안내.",
    "가정방문. 방 안 곰팡이와 습기 심함. 주거환경 개선 사업 안내.",
    "가정방문. 이웃과 왕래 없음. 경로당·복지관 프로그램 안내.",
    "간호사 동행 방문. 혈압 측정(정상 범위), 복약 지도.",
)
PHONE_NOTES = (
    "안부 전화. 건강 상태 특이사항 없음.",
    "안부 전화. 무릎 통증으로 외출이 어렵다고 함.",
    "안부 전화. 식사는 복지관 도시락으로 해결 중.",
    "안부 전화. 자녀와 연락이 끊겼다며 외로움 호소.",
)
OFFICE_NOTES = ("주민센터 내소. 기초생활수급 신청 상담.", "주민센터 내소. 긴급복지 지원 문의.")
TEXT_NOTES = ("안부 문자 발송, 답장 받음.",)
NOT_HOME_NOTES = ("부재. 방문 안내 스티커 부착 후 문자 발송.", "부재. 통장에게 최근 동향 확인 요청.")
REFUSED_NOTES = ("방문 거부. 문 앞에서 짧게 안부만 확인. 통장과 재방문 예정.", "상담 거부. 가족 연락처 확인 후 재시도 예정.")
NEEDS = (
    "밑반찬 지원 희망", "병원 동행 필요", "주거환경 개선(도배·장판) 필요", "치매 조기검진 권유",
    "기초생활수급 신청 검토", "긴급복지(생계) 검토", "돌봄SOS 일상편의 서비스 필요", "정신건강복지센터 연계 검토",
)
NEXT_ACTIONS = (
    "2주 후 재방문", "보건소 방문간호 연계", "복지관 밑반찬 서비스 의뢰", "수급 신청 서류 안내 후 재상담",
    "통장과 함께 재방문", "가족과 통화 예정",
)


class _CaseloadBuilder:
    def __init__(self, *, rng, fake, today, gu, dongs, tongs, users):
        self.rng, self.fake, self.today, self.gu = rng, fake, today, gu
        self.dongs, self.tongs, self.users = dongs, tongs, users
        self.rrns = people.RrnAllocator(DEMO_RRN_BLOCK)
        self.tz = timezone.get_current_timezone()
        self.cadence = {tier: tier_cadence_days(tier, on=today) for tier in CADENCE_TIERS}
        self.home_visit_days = home_visit_days(on=today)
        self.not_home_revisit_days = (default_revisit_on(NOT_HOME_REVISIT_KEY, today) - today).days

    def staff_of(self, dong: Dong, role: str) -> list[User]:
        return [u for u in self.users.values() if u.dong_id == dong.pk and has_role(u, role)]

    def build(self, *, scale: float) -> dict[str, int]:
        plans = []
        for dong_name, count in CASELOAD_DONGS.items():
            dong = self.dongs[dong_name]
            tong_planner = {}
            for planner in self.staff_of(dong, Role.PLANNER):
                for tong in planner.tongs.all():
                    tong_planner[tong.pk] = planner
            for _ in range(max(1, round(count * scale))):
                plans.append(self._household_plan(dong, tong_planner))

        households = Household.objects.bulk_create([p["household"] for p in plans], batch_size=500)
        residents = []
        for plan, household in zip(plans, households, strict=True):
            for resident in plan["residents"]:
                resident.household = household
                residents.append(resident)
        Resident.objects.bulk_create(residents, batch_size=1000)

        contacts, contact_staff, tier_changes = [], [], []
        for plan in plans:
            household, head = plan["household"], plan["residents"][0]
            for contact, staff in plan["contacts"]:
                contact.household, contact.resident = household, head
                contacts.append((contact, staff))
            for from_tier, to_tier, reason in plan["tier_path"]:
                tier_changes.append(RiskTierChange(
                    household=household, from_tier=from_tier, to_tier=to_tier, reason=reason, changed_by=household.planner,
                ))
        Contact.objects.bulk_create([c for c, _ in contacts], batch_size=1000)
        through = Contact.staff.through
        for contact, staff in contacts:
            contact_staff.extend(through(contact_id=contact.pk, user_id=user.pk) for user in staff)
        through.objects.bulk_create(contact_staff, batch_size=2000)
        RiskTierChange.objects.bulk_create(tier_changes, batch_size=1000)

        partners = self._partners()
        reports = self._crisis_reports(plans, partners, scale=scale)
        return {
            "households": len(households), "residents": len(residents), "contacts": len(contacts),
            "tier_changes": len(tier_changes), "partners": len(partners), "crisis_reports": len(reports),
        }

    # households -------------------------------------------------------------------------------
    def _household_plan(self, dong: Dong, tong_planner: dict[int, User]) -> dict:
        rng = self.rng
        kinds, weights = zip(*COMPOSITIONS, strict=True)
        members = _members(rng, rng.choices(kinds, weights=weights)[0])
        for m in members:
            m.disability, m.care_grade = profiles.disability_and_care(rng, m.age)
            if m.age >= 65 and rng.random() < 0.4:
                m.health_notes = rng.choice(people.HEALTH_NOTES_ELDERLY)
            elif 30 <= m.age < 65 and rng.random() < 0.06:
                m.health_notes = rng.choice(people.HEALTH_NOTES_ADULT)
        housing = _housing_for(rng, dong.name, members)
        tenure = places.tenure_for(rng, housing)
        income = profiles.income_ratio_for(rng, members)
        benefits = profiles.benefits_for(rng, income_ratio=income, tenure=tenure, members=members)
        arrears, cutoffs = profiles.arrears_and_cutoffs(rng, income_ratio=income, tenure=tenure)
        tier = profiles.risk_tier_for(
            rng, members=members, income_ratio=income, benefits=benefits, arrears=arrears, cutoffs=cutoffs
        )
        tong = rng.choice(self.tongs[dong.pk])
        planner = tong_planner.get(tong.pk) or rng.choice(self.staff_of(dong, Role.PLANNER))
        nurses = self.staff_of(dong, Role.NURSE)
        needs_nurse = tier == RiskTier.HIGH or any(m.elderly or m.severe for m in members)
        roads = places.EUNPYEONG_ROADS.get(dong.name, places.ALL_EUNPYEONG_ROADS)
        household = Household(
            dong=dong, tong=tong, ban=rng.randint(1, tong.ban_count),
            address=f"서울특별시 은평구 {places.street(rng, roads)}",
            address_detail=places.address_detail(rng, housing),
            housing_type=housing, tenure=tenure, benefits=benefits, income_ratio=income,
            arrears=arrears, cutoffs=cutoffs, risk_tier=tier, planner=planner,
            nurse=nurses[0] if nurses and needs_nurse else None,
        )
        if rng.random() < 0.03:
            # 주소 미이전: registered at an old address in another dong of the gu.
            others = [d for d in self.dongs.values() if d.pk != dong.pk]
            household.registered_dong = rng.choice(others)
            household.registered_address = f"서울특별시 은평구 {places.street(rng, places.ALL_EUNPYEONG_ROADS)}"
        residents = self._residents(members)
        contacts, tier_path = [], []
        if tier != RiskTier.NONE:
            contacts = self._contact_history(household, tier, staff=[planner, *(nurses[:1] if needs_nurse else [])])
            tier_path = self._tier_path(tier)
        return {"household": household, "residents": residents, "contacts": contacts, "tier_path": tier_path}

    def _residents(self, members: list[Member]) -> list[Resident]:
        rng = self.rng
        family_name = people.surname(rng)
        father = members[0].sex == "M" or any(m.relation == Relation.SPOUSE and m.sex == "M" for m in members)
        residents = []
        for m in members:
            # Children take the father's surname; spouses and parents keep their own.
            shares_surname = m.relation in (Relation.HEAD, Relation.SIBLING) or (
                m.relation in (Relation.CHILD, Relation.GRANDCHILD) and father
            )
            name = family_name + people.given_name(rng, m.sex) if shares_surname else people.korean_name(rng, m.sex)
            birth = people.birth_date_for_age(rng, m.age, self.today)
            rrn = self.rrns.next(birth, m.sex)
            if m.age < 10:
                phone = ""
            elif m.age >= 75 and rng.random() < 0.4:
                phone = people.landline_phone(rng)
            else:
                phone = people.mobile_phone(rng)
            residents.append(Resident(
                name=name, relation=m.relation, birth_date=birth, sex=m.sex,
                living_together=not (m.relation == Relation.CHILD and m.age >= 20 and rng.random() < 0.3),
                disability=m.disability, care_grade=m.care_grade, health_notes=m.health_notes,
                job=people.job_for(rng, m.age), phone=phone,
                rrn_ciphertext=crypto.encrypt_rrn(rrn), rrn_index=crypto.blind_index(rrn), rrn_masked=crypto.mask_rrn(rrn),
            ))
        return residents

    def _tier_path(self, tier: str) -> list[tuple[str, str, str]]:
        reasons = {
            RiskTier.HIGH: "고독사 위험 1인가구 실태조사 결과 위험가구로 분류",
            RiskTier.WATCH: "체납·저소득 등 위기 징후로 주의가구 분류",
            RiskTier.CONCERN: "수급·차상위 등 공적지원 가구로 관심가구 분류",
        }
        if tier == RiskTier.CLOSED:
            return [
                (RiskTier.NONE, RiskTier.WATCH, reasons[RiskTier.WATCH]),
                (RiskTier.WATCH, RiskTier.CLOSED, "사례관리 종결, 서비스 연계 후 사후관리"),
            ]
        return [(RiskTier.NONE, tier, reasons[tier])]

    # contacts ----------------------------------------------------------------------------------
    def _contact_history(self, household: Household, tier: str, *, staff: list[User]) -> list[tuple[Contact, list[User]]]:
        """Past contacts at roughly the tier's cadence; the latest one is sometimes overdue.

        Sets the household's last_contact_at and next_contact_due the way logging those
        contacts would have: last reached contact + cadence (위험: also last home visit +
        home-visit cadence), or the latest contact's next action if sooner; today if never reached.
        """
        rng, today = self.rng, self.today
        cadence = self.cadence[tier]
        if rng.random() < 0.08:
            household.next_contact_due = today  # newly classified, nobody has been yet
            return []
        count = {RiskTier.HIGH: (3, 6), RiskTier.WATCH: (2, 4), RiskTier.CONCERN: (1, 3), RiskTier.CLOSED: (1, 2)}[tier]
        days_ago = rng.randint(0, int(cadence * 1.3))
        history = []
        for _ in range(rng.randint(*count)):
            history.append(self._contact(household, tier, today - datetime.timedelta(days=days_ago), staff))
            days_ago += max(1, int(cadence * rng.uniform(0.7, 1.3)))
        history.sort(key=lambda pair: pair[0].occurred_at)

        reached = [c for c, _ in history if c.outcome in REACHED]
        last = max((c.occurred_at for c in reached), default=None)
        household.last_contact_at = last
        due = timezone.localdate(last) + datetime.timedelta(days=cadence) if last else today
        if tier == RiskTier.HIGH:
            visits = [c.occurred_at for c in reached if c.mode == ContactMode.VISIT and c.outcome == ContactOutcome.MET]
            visit_due = timezone.localdate(max(visits)) + datetime.timedelta(days=self.home_visit_days) if visits else today
            due = min(due, visit_due)
        latest = history[-1][0]
        if latest.next_action_on:
            due = min(due, latest.next_action_on)
        household.next_contact_due = due
        return history

    def _contact(self, household: Household, tier: str, day: datetime.date, staff: list[User]) -> tuple[Contact, list[User]]:
        rng = self.rng
        mode_weights = {ContactMode.VISIT: 50, ContactMode.PHONE: 40, ContactMode.OFFICE: 5, ContactMode.TEXT: 5}
        mode = rng.choices(list(mode_weights), weights=list(mode_weights.values()))[0]
        outcome = rng.choices(
            (ContactOutcome.MET, ContactOutcome.NOT_HOME, ContactOutcome.REFUSED), weights=(82, 12, 6)
        )[0]
        if mode in (ContactMode.OFFICE, ContactMode.TEXT):
            outcome = ContactOutcome.MET
        at = datetime.datetime.combine(day, datetime.time(rng.randint(9, 17), rng.choice((0, 10, 20, 30, 40, 50))), self.tz)
        at = min(at, timezone.now() - datetime.timedelta(minutes=5))
        planner = staff[0]
        joint = mode == ContactMode.VISIT and len(staff) > 1 and rng.random() < 0.35
        companions = []
        if mode == ContactMode.VISIT and rng.random() < 0.15:
            companions.append(rng.choice((Companion.TONG_LEADER, Companion.FAMILY, Companion.NEIGHBOUR, Companion.LANDLORD)))
        checklist, notes, needs, next_action, next_on = {}, "", "", "", None
        if outcome == ContactOutcome.MET:
            items = [key for key, _ in CHECKLIST_ITEMS]
            if mode != ContactMode.VISIT:
                items = items[:4] if mode == ContactMode.PHONE else items[:2]
            checklist = {key: rng.choices(CHECKLIST_ANSWERS, weights=(75, 20, 5))[0] for key in items}
            notes = rng.choice({
                ContactMode.VISIT: VISIT_NOTES, ContactMode.PHONE: PHONE_NOTES,
                ContactMode.OFFICE: OFFICE_NOTES, ContactMode.TEXT: TEXT_NOTES,
            }[mode])
            if rng.random() < 0.25:
                needs = rng.choice(NEEDS)
        elif outcome == ContactOutcome.NOT_HOME:
            notes = rng.choice(NOT_HOME_NOTES)
        else:
            notes = rng.choice(REFUSED_NOTES)
        if rng.random() < 0.3 or outcome != ContactOutcome.MET:
            next_action = rng.choice(NEXT_ACTIONS)
            revisit = self.not_home_revisit_days if outcome == ContactOutcome.NOT_HOME else rng.randint(7, 21)
            next_on = day + datetime.timedelta(days=revisit)
        contact = Contact(
            mode=mode, occurred_at=at, outcome=outcome, companions=companions, checklist=checklist,
            needs_found=needs, notes=notes, next_action=next_action, next_action_on=next_on, created_by=planner,
        )
        return contact, staff if joint else [planner]

    # partners and reports --------------------------------------------------------------------------
    def _partners(self) -> list[Partner]:
        rng, fake = self.rng, self.fake
        shops = ("약국", "슈퍼", "부동산", "반찬가게", "미용실", "세탁소", "정육점", "떡집")
        partners = []
        for dong_name in CASELOAD_DONGS:
            dong = self.dongs[dong_name]
            short = dong_name.removesuffix("동")

            def add(kind, name, tier="", dong=dong):
                partners.append(Partner(
                    dong=dong, kind=kind, name=name, phone=people.mobile_phone(rng), tier=tier, active=rng.random() < 0.92,
                ))

            for tong in self.tongs[dong.pk]:
                add(PartnerKind.TONG_LEADER, f"{fake.name()}({tong.number}통)")
            for _ in range(6):
                add(PartnerKind.HONORARY_OFFICER, fake.name())
            for tier in ("적극", "적극", "수시", "수시", "수시", "잠재", "잠재", "잠재"):
                add(PartnerKind.CITIZEN_SCOUT, fake.name(), tier)
            for _ in range(10):
                add(PartnerKind.NEIGHBOUR_WATCHER, fake.name())
            for shop in rng.sample(shops, 4):
                add(PartnerKind.NEIGHBOUR_GUARDIAN, f"{short}{shop}")
            for i in (1, 2):
                add(PartnerKind.SHARING_NEIGHBOUR, f"{dong_name} 나눔이웃 {i}모임")
            for shop in rng.sample(shops, 3):
                add(PartnerKind.SHARING_SHOP, f"{fake.first_name()}네 {shop}")
            for _ in range(2):
                add(PartnerKind.NEIGHBOURHOOD_HELPER, fake.name())
        return Partner.objects.bulk_create(partners, batch_size=500)

    def _crisis_reports(self, plans: list[dict], partners: list[Partner], *, scale: float) -> list[CrisisReport]:
        rng, fake, now = self.rng, self.fake, timezone.now()
        situations = {
            ReportChannel.PARTNER: ("혼자 사시는 어르신이 며칠째 보이지 않는다는 통장 제보",
                                    "집 앞에 우편물과 고지서가 쌓여 있음"),
            ReportChannel.CITIZEN_SCOUT: ("아이들이 끼니를 자주 거르는 것 같다는 이웃 제보", "반지하 집에서 악취가 난다는 제보"),
            ReportChannel.METER_READER: ("가스 사용량이 급격히 줄어 검침원이 제보",),
            ReportChannel.LANDLORD: ("월세 3개월 체납, 세입자와 연락이 닿지 않음",),
            ReportChannel.HOTLINE: ("120 다산콜 경유: 실직 후 생계가 어렵다는 본인 상담",),
            ReportChannel.BIG_DATA: ("복지사각지대 발굴 대상(단전 예고·건강보험료 6개월 체납)",),
            ReportChannel.IOT: ("IoT 안부확인 기기 24시간 활동 미감지",),
            ReportChannel.PUBLIC_WEB: ("누리집 제보: 옆집 어르신 거동이 불편해 보임",),
            ReportChannel.WALK_IN: ("주민센터 방문 제보: 고시원 이웃이 아파 보임",),
            ReportChannel.WELFARE_POST: ("복지등기 우편 반송(수취인 부재)",),
        }
        channels = list(situations)
        channel_weights = (18, 10, 6, 6, 8, 20, 8, 6, 10, 8)
        outcomes = list(ReportOutcome)
        reports = []
        for dong_name in CASELOAD_DONGS:
            dong = self.dongs[dong_name]
            dong_plans = [p for p in plans if p["household"].dong_id == dong.pk]
            dong_partners = [p for p in partners if p.dong_id == dong.pk]
            planners = self.staff_of(dong, Role.PLANNER)
            officers = self.staff_of(dong, Role.NEIGHBOURHOOD_OFFICER) or planners
            for _ in range(max(3, round(16 * scale))):
                channel = rng.choices(channels, weights=channel_weights)[0]
                received = now - datetime.timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 8))
                status = rng.choices(list(ReportStatus), weights=(25, 25, 20, 30))[0]
                plan = rng.choice(dong_plans) if dong_plans and rng.random() < 0.5 else None
                partner = None
                if channel in (ReportChannel.PARTNER, ReportChannel.CITIZEN_SCOUT):
                    kinds = (
                        {PartnerKind.TONG_LEADER, PartnerKind.HONORARY_OFFICER}
                        if channel == ReportChannel.PARTNER else {PartnerKind.CITIZEN_SCOUT}
                    )
                    partner = rng.choice([p for p in dong_partners if p.kind in kinds])
                reporter = channel in (ReportChannel.LANDLORD, ReportChannel.WALK_IN, ReportChannel.PUBLIC_WEB,
                                       ReportChannel.HOTLINE)
                report = CrisisReport(
                    dong=dong, channel=channel, received_at=received, partner=partner,
                    reporter_name=partner.name if partner else fake.name() if reporter else "",
                    reporter_phone=partner.phone if partner else people.mobile_phone(rng) if reporter else "",
                    subject_name=plan["residents"][0].name if plan and rng.random() < 0.6 else "",
                    address=(f"{plan['household'].address} {plan['household'].address_detail}".strip() if plan
                             else f"서울특별시 은평구 {places.street(rng, places.EUNPYEONG_ROADS[dong_name])}"),
                    situation=rng.choice(situations[channel]),
                    consent=bool(partner) or reporter,
                    household=plan["household"] if plan and status != ReportStatus.NEW else None,
                    status=status,
                    assignee=rng.choice(planners) if status != ReportStatus.NEW else None,
                    created_by=None if channel == ReportChannel.PUBLIC_WEB else rng.choice(officers),
                )
                if status == ReportStatus.CLOSED:
                    report.outcome = rng.choice(outcomes)
                    report.outcome_note = {
                        ReportOutcome.PUBLIC_BENEFIT: "기초생활수급(생계·의료) 신청 접수",
                        ReportOutcome.EMERGENCY_AID: "서울형 긴급복지 생계비 지원 결정",
                        ReportOutcome.PRIVATE_RESOURCE: "복지관 밑반찬·후원물품 연계",
                        ReportOutcome.CASE_MANAGEMENT: "통합사례관리 대상자로 선정",
                        ReportOutcome.NOTHING_NEEDED: "확인 결과 지원 필요 없음(가족 돌봄 중)",
                    }[report.outcome]
                    report.closed_at = min(now, received + datetime.timedelta(days=rng.randint(2, 14)))
                _set_optional_fields(report, rng=rng, received=received, now=now)
                reports.append(report)
        return CrisisReport.objects.bulk_create(reports, batch_size=500)


_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def _set_optional_fields(report: CrisisReport, *, rng: random.Random, received, now) -> None:
    """Fill workflow fields of the report model when it has them (reference, status and visit times)."""
    names = {f.name for f in CrisisReport._meta.concrete_fields}
    if "reference" in names:
        code = "".join(rng.choice(_REFERENCE_ALPHABET) for _ in range(8))
        report.reference = f"{code[:4]}-{code[4:]}"
    if "visited_at" in names and report.status in (ReportStatus.VISITED, ReportStatus.CLOSED):
        report.visited_at = min(now, received + datetime.timedelta(days=rng.randint(1, 3)))
        if "visit_note" in names:
            report.visit_note = "확인 방문. 대상자 면담 및 생활 실태 확인."
    if "status_changed_at" in names:
        report.status_changed_at = report.closed_at or getattr(report, "visited_at", None) or received
