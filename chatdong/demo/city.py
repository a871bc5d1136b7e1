"""A synthetic Seoul for benchmarks (`manage.py generate_city --residents N`).

All 25 gu with 424 dongs — 은평구's 16 real dongs plus 17 synthetic dongs ("가상1동" …,
codes `S<gu code><nnnn>`) in each other gu — their tongs, five planners and a nurse per dong,
and households with exactly N residents (≈2.1 per household). Ages follow Seoul's age
structure with the universal-visit cohorts pinned (1.3 % turn 65 and 1.1 % turn 70 this
year); some residents are deceased or moved out; housing, income, benefits, arrears and risk
tiers follow the same rules as the demo (chatdong.demo.profiles).

Households and residents are streamed with COPY, never the ORM. Every generated household
carries a batch marker in its note (`[합성데이터 배치 NN] …`): `reset=True` deletes those
households with their residents (and whatever other features attached to them) before
loading. Areas and staff are upserted, so re-running reuses them. RRNs get a blind index and
a masked form always and Fernet ciphertext unless `with_ciphertext=False`; generated rows
skip the insert-history triggers unless `with_history=True` (there is no history to keep for
data that never existed, and the triggers cost more than the load). The foreign keys of the
two tables are dropped for the load and added back — validated once, by one join each —
before the commit; until then the load's transaction holds the tables locked.
"""

import contextlib
import datetime
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import pghistory
import pgtrigger
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models.deletion import ProtectedError
from django.utils import timezone

from cases import crypto
from cases.models import Household, HousingType, Relation, Resident, RiskTier
from cases.services.households import tier_cadence_days
from chatdong.accounts.models import User
from chatdong.accounts.roles import Role, has_role
from chatdong.areas.models import Dong, Gu, Region, Tong
from chatdong.areas.seoul import EUNPYEONG_DONGS, EUNPYEONG_GU_CODE, SEOUL_GU, load_reference_areas
from chatdong.demo import people, places, profiles
from chatdong.demo.copy import CopyTarget, CopyWriter, copy_value
from chatdong.demo.profiles import Member
from chatdong.demo.seed import CADENCE_TIERS

MARKER_PREFIX = "[합성데이터 배치 "
SYNTHETIC_DONG_PREFIX = "S"
DONGS_PER_SYNTHETIC_GU = 17
REGIONS_PER_SYNTHETIC_GU = 4
PLANNERS_PER_DONG = 5
STAFF_PREFIX = "gen_"
MAX_BATCH = 99
CHUNK_HOUSEHOLDS = 5_000
# pg_advisory_xact_lock key: two generators never interleave ("chdg").
LOCK_KEY = 0x63686467

# Household size distribution (Seoul, roughly): mean ≈ 2.12 residents per household.
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5)
HOUSEHOLD_SIZE_WEIGHTS = (38, 29, 19, 11, 3)
CITY_HOUSING = {
    HousingType.APARTMENT: 42, HousingType.MULTI_FAMILY: 24, HousingType.ONE_ROOM: 10, HousingType.DETACHED: 7,
    HousingType.RENTAL_APARTMENT: 6, HousingType.SEMI_BASEMENT: 5, HousingType.GOSIWON: 2,
    HousingType.ROOFTOP: 1, HousingType.OTHER: 3,
}
SINGLE_HOUSING = dict(CITY_HOUSING) | {
    HousingType.ONE_ROOM: 22, HousingType.GOSIWON: 6, HousingType.SEMI_BASEMENT: 10, HousingType.ROOFTOP: 4,
    HousingType.MULTI_FAMILY: 30, HousingType.APARTMENT: 22,
}

_HOUSING_CHOICES = {
    size_one: (list(weights), list(itertools.accumulate(weights.values())))
    for size_one, weights in ((False, CITY_HOUSING), (True, SINGLE_HOUSING))
}

HOUSEHOLD_COLUMNS = (
    "id", "dong_id", "tong_id", "ban", "address", "address_detail", "registered_dong_id", "registered_address",
    "housing_type", "tenure", "benefits", "income_ratio", "arrears", "cutoffs", "risk_tier", "planner_id",
    "nurse_id", "last_contact_at", "next_contact_due", "note", "created_at", "updated_at",
)
RESIDENT_COLUMNS = (
    "household_id", "name", "relation", "birth_date", "sex", "living_together", "disability", "care_grade",
    "health_notes", "job", "phone", "rrn_ciphertext", "rrn_index", "rrn_masked", "deceased_on", "moved_out_on",
    "created_at", "updated_at",
)
NULL = r"\N"


class CityError(Exception):
    """The generator cannot run as asked (Korean message for the command line)."""


@dataclass
class CityResult:
    batch: int
    gu: int
    dongs: int
    households: int
    residents: int
    deleted_households: int
    deleted_residents: int
    reset_seconds: float
    load_seconds: float  # generating rows and streaming them through COPY
    check_seconds: float  # foreign keys validated (once per constraint) and commit
    analyze_seconds: float
    total_seconds: float

    @property
    def rows(self) -> int:
        return self.households + self.residents

    @property
    def rows_per_second(self) -> float:
        """Rows per second from the first COPY to the commit: ANALYZE and foreign-key checks included."""
        seconds = self.load_seconds + self.analyze_seconds + self.check_seconds
        return self.rows / seconds if seconds else 0.0


def marker(batch: int) -> str:
    return f"{MARKER_PREFIX}{batch:02d}] 규모 시험용으로 생성된 가구입니다."


def generate_city(
    *, residents: int, reset: bool = False, with_ciphertext: bool = True, with_history: bool = False,
    seed: int = 2026, progress: Callable[[str], None] | None = None,
) -> CityResult:
    """Load a synthetic city with exactly `residents` residents; see the module docstring."""
    if residents < 1:
        raise CityError("--residents 는 1 이상이어야 합니다.")
    say = progress or (lambda message: None)
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        deleted = _delete_generated() if reset else (0, 0)
        reset_seconds = time.perf_counter() - started
        if reset:
            say(f"이전 합성 데이터를 지웠습니다: 가구 {deleted[0]:,}, 가구원 {deleted[1]:,} ({reset_seconds:.1f}초)")
        dongs = _ensure_areas()
        _ensure_staff(dongs)
        batch = _next_batch()
        if batch > MAX_BATCH:
            raise CityError(f"합성 데이터 배치가 {MAX_BATCH}개를 넘었습니다. --reset 으로 지우고 다시 만드세요.")
        say(f"구 {len({d.gu_id for d in dongs.values()})}개, 동 {len(dongs)}개 준비 완료. 배치 {batch:02d} 적재를 시작합니다.")
        loader = _Loader(
            dongs=dongs, batch=batch, rng=random.Random(f"{seed}:{batch}"), with_ciphertext=with_ciphertext, say=say,
        )
        load_started = time.perf_counter()
        with _foreign_keys_checked_after(Household, Resident):
            households = loader.load(residents, with_history=with_history)
            analyze_started = time.perf_counter()
            _analyze(Dong, Tong, User, User.tongs.through, Household, Resident)
            fk_started = time.perf_counter()
    finished = time.perf_counter()
    load_seconds = analyze_started - load_started
    return CityResult(
        batch=batch, gu=len({d.gu_id for d in dongs.values()}), dongs=len(dongs), households=households,
        residents=residents, deleted_households=deleted[0], deleted_residents=deleted[1],
        reset_seconds=reset_seconds, load_seconds=load_seconds,
        check_seconds=finished - fk_started,
        analyze_seconds=fk_started - analyze_started, total_seconds=finished - started,
    )


def _analyze(*models_) -> None:
    """Fresh statistics (inside the transaction they include its own rows) for the FK checks
    that follow and for every query after the load."""
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


@contextlib.contextmanager
def _foreign_keys_checked_after(*models_):
    """The usual bulk-load technique: drop the loaded tables' foreign keys and add them back
    (same names, same definitions) once the rows are in. PostgreSQL then validates each
    constraint with one join instead of one lookup per row at commit — the per-row checks
    took longer than the load itself. All inside the load's transaction: if anything fails
    the constraints come back with the rollback. The tables stay locked until commit."""
    tables = [model._meta.db_table for model in models_]
    # Run checks still pending from earlier in the transaction (e.g. the reset's deletes):
    # PostgreSQL refuses ALTER TABLE on a table with pending trigger events.
    connection.check_constraints()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conrelid, conname",
            [tables],
        )
        constraints = cursor.fetchall()
        for table, name, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    yield
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


# --- reset ---------------------------------------------------------------------------------------

def _clear_dependents(model, pks, *, skip=()) -> None:
    """Remove what other features attached to generated rows (contacts, reports, tasks…):
    SET_NULL links are cleared, other constrained links deleted with their own cascades."""
    for rel in model._meta.related_objects:
        related = rel.related_model
        if related in skip:
            continue
        if rel.many_to_many:
            through, name = rel.through, rel.field.m2m_reverse_field_name()
            through._base_manager.filter(**{f"{name}__in": pks}).delete()
            continue
        if rel.on_delete is models.DO_NOTHING or not rel.field.db_constraint:
            continue  # unconstrained history rows (pghistory events) stay as history
        rows = related._base_manager.filter(**{f"{rel.field.name}__in": pks})
        if rel.on_delete is models.SET_NULL:
            rows.update(**{rel.field.name: None})
        else:
            rows.delete()


def _delete_generated() -> tuple[int, int]:
    generated = Household.objects.filter(note__startswith=MARKER_PREFIX).values("pk")
    try:
        _clear_dependents(Resident, Resident.objects.filter(household__in=generated).values("pk"))
        _clear_dependents(Household, generated, skip={Resident})
    except ProtectedError as exc:
        raise CityError(
            "합성 가구에 연결된 기록 중 지울 수 없는 것이 있어 --reset 을 할 수 없습니다: "
            + ", ".join(sorted({obj._meta.verbose_name for obj in exc.protected_objects}))
        ) from None
    household_table, resident_table = Household._meta.db_table, Resident._meta.db_table
    pattern = MARKER_PREFIX + "%"
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{resident_table}" r USING "{household_table}" h '
            f"WHERE r.household_id = h.id AND h.note LIKE %s",
            [pattern],
        )
        residents = cursor.rowcount
        cursor.execute(f'DELETE FROM "{household_table}" WHERE note LIKE %s', [pattern])
        households = cursor.rowcount
    return households, residents


def _next_batch() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT max(substring(note from %s)::int) FROM "{Household._meta.db_table}" WHERE note LIKE %s',
            [r"^\[합성데이터 배치 (\d+)\]", MARKER_PREFIX + "%"],
        )
        (last,) = cursor.fetchone()
    return (last or 0) + 1


# --- areas and staff -------------------------------------------------------------------------------

def _ensure_areas() -> dict[int, Dong]:
    """The 25 gu, 은평구's real dongs and 17 synthetic dongs (in 4 synthetic regions) per other gu."""
    load_reference_areas(Gu, Region, Dong)
    gus = list(Gu.objects.filter(code__in=[code for code, _ in SEOUL_GU]))
    synthetic_gus = [gu for gu in gus if gu.code != EUNPYEONG_GU_CODE]
    Region.objects.bulk_create(
        [Region(gu=gu, name=f"가상{i}권역") for gu in synthetic_gus for i in range(1, REGIONS_PER_SYNTHETIC_GU + 1)],
        ignore_conflicts=True,
    )
    regions = {(r.gu_id, r.name): r for r in Region.objects.filter(gu__in=synthetic_gus, name__startswith="가상")}
    new_dongs = []
    for gu in synthetic_gus:
        for i in range(1, DONGS_PER_SYNTHETIC_GU + 1):
            region = regions[(gu.pk, f"가상{(i - 1) * REGIONS_PER_SYNTHETIC_GU // DONGS_PER_SYNTHETIC_GU + 1}권역")]
            new_dongs.append(Dong(gu=gu, region=region, code=f"{SYNTHETIC_DONG_PREFIX}{gu.code}{i:04d}", name=f"가상{i}동"))
    Dong.objects.bulk_create(new_dongs, ignore_conflicts=True)
    codes = [code for code, _ in EUNPYEONG_DONGS] + [d.code for d in new_dongs]
    dongs = {d.pk: d for d in Dong.objects.select_related("gu").filter(code__in=codes).order_by("code")}
    Tong.objects.bulk_create(
        [Tong(dong_id=pk, number=n, ban_count=b) for pk, d in dongs.items() for n, b in places.tong_plan(d.code)],
        ignore_conflicts=True,
    )
    return dongs


def staff_username(dong: Dong, role: str, number: int) -> str:
    return f"{STAFF_PREFIX}{dong.code}_{'p' if has_role(role, Role.PLANNER) else 'n'}{number}"


def _ensure_staff(dongs: dict[int, Dong]) -> None:
    """Five planners (splitting the dong's tongs) and one nurse per dong; no usable password."""
    users = []
    for dong in dongs.values():
        for role, count in ((Role.PLANNER, PLANNERS_PER_DONG), (Role.NURSE, 1)):
            for number in range(1, count + 1):
                username = staff_username(dong, role, number)
                rng = random.Random(username)
                users.append(User(
                    username=username, name=people.korean_name(rng, rng.choice("MF")), role=role,
                    dong_id=dong.pk, gu_id=dong.gu_id, password=make_password(None),
                ))
    User.objects.bulk_create(users, ignore_conflicts=True)
    ids = dict(User.objects.filter(username__startswith=STAFF_PREFIX).values_list("username", "pk"))
    through = User.tongs.through
    links = []
    for dong_id, tong_ids in _tongs_by_dong(dongs).items():
        dong = dongs[dong_id]
        for index, (tong_id, _bans) in enumerate(tong_ids):
            planner = staff_username(dong, Role.PLANNER, index * PLANNERS_PER_DONG // len(tong_ids) + 1)
            links.append(through(user_id=ids[planner], tong_id=tong_id))
    through.objects.bulk_create(links, ignore_conflicts=True)


def _tongs_by_dong(dongs: dict[int, Dong]) -> dict[int, list[tuple[int, int]]]:
    by_dong: dict[int, list[tuple[int, int]]] = {pk: [] for pk in dongs}
    for pk, dong_id, bans in Tong.objects.filter(dong_id__in=dongs).order_by("dong_id", "number").values_list(
        "pk", "dong_id", "ban_count"
    ):
        by_dong[dong_id].append((pk, bans))
    return by_dong


# --- loading -----------------------------------------------------------------------------------------

def _history_triggers() -> list[str]:
    """URIs of the pghistory insert triggers on households and residents."""
    return [
        trigger.get_uri(model)
        for model, trigger in pgtrigger.registered()
        if model in (Household, Resident)
        and isinstance(trigger, pghistory.trigger.Event)
        and "INSERT" in str(trigger.operation)
    ]


class _Dong:
    """What the hot loop needs of a dong, precomputed."""

    def __init__(self, dong: Dong, tongs: list[tuple[int, int]], staff: dict[str, int]):
        self.id = str(dong.pk)
        self.pk = dong.pk
        self.tongs = tongs
        if dong.gu.code == EUNPYEONG_GU_CODE:
            self.prefix = "서울특별시 은평구 "
            self.roads = places.EUNPYEONG_ROADS.get(dong.name, places.ALL_EUNPYEONG_ROADS)
        else:
            self.prefix = f"서울특별시 {dong.gu.name} "
            number = dong.code[-4:].lstrip("0")
            self.roads = (f"가상{number}로", f"가상{number}대로")
        count = len(tongs)
        self.planner_of_tong = {
            tong_id: str(staff[staff_username(dong, Role.PLANNER, i * PLANNERS_PER_DONG // count + 1)])
            for i, (tong_id, _) in enumerate(tongs)
        }
        self.nurse = str(staff[staff_username(dong, Role.NURSE, 1)])


class _Loader:
    def __init__(self, *, dongs: dict[int, Dong], batch: int, rng: random.Random, with_ciphertext: bool, say):
        self.rng, self.batch, self.with_ciphertext, self.say = rng, batch, with_ciphertext, say
        staff = dict(User.objects.filter(username__startswith=STAFF_PREFIX).values_list("username", "pk"))
        tongs = _tongs_by_dong(dongs)
        self.dongs = [_Dong(d, tongs[pk], staff) for pk, d in dongs.items()]
        self.today = timezone.localdate()
        self.now = copy_value(timezone.now())
        self.note = copy_value(marker(batch))
        self.rrns = people.RrnAllocator(batch)
        self.cadence = {tier: tier_cadence_days(tier, on=self.today) for tier in CADENCE_TIERS}
        self.tz = timezone.get_current_timezone()
        self.households = CopyTarget(Household, HOUSEHOLD_COLUMNS)
        self.residents = CopyTarget(Resident, RESIDENT_COLUMNS)

    def load(self, total: int, *, with_history: bool) -> int:
        rng = self.rng
        sizes = _household_sizes(rng, total)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Household._meta.db_table, len(sizes)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        quota = people.age_quota(total)
        ages = [age for age, count in enumerate(quota) for _ in range(count)]
        rng.shuffle(ages)
        self.adults = [a for a in ages if a >= people.ADULT_AGE]
        self.minors = [a for a in ages if a < people.ADULT_AGE]
        weights = [rng.uniform(0.6, 1.4) for _ in self.dongs]
        dong_of = rng.choices(self.dongs, weights=weights, k=len(sizes))

        ignored = () if with_history else _history_triggers()
        with pgtrigger.ignore(*ignored) if ignored else contextlib.nullcontext():
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")  # applies the trigger-ignore setting to this transaction
            writer = CopyWriter(connection.connection)
            try:
                step = max(1, len(sizes) // 10)
                for start in range(0, len(sizes), CHUNK_HOUSEHOLDS):
                    household_lines, resident_lines = [], []
                    for i in range(start, min(start + CHUNK_HOUSEHOLDS, len(sizes))):
                        self._household(ids[i], sizes[i], dong_of[i], household_lines, resident_lines)
                    writer.put(self.households, household_lines)
                    writer.put(self.residents, resident_lines)
                    done = min(start + CHUNK_HOUSEHOLDS, len(sizes))
                    if done // step != start // step or done == len(sizes):
                        self.say(f"  가구 {done:,}/{len(sizes):,}")
            finally:
                writer.close()
        return len(sizes)

    def _take(self, minor: bool, fits: Callable[[int], bool] | None = None) -> int:
        """Pop an age from the shuffled pool, preferring (among the next few) one that `fits`.

        Only the order of drawing changes, so the city's age structure stays exact while
        family heads, spouses and children get plausible ages relative to each other.
        """
        pool = self.minors if (minor and self.minors) or not self.adults else self.adults
        if fits is not None:
            for back in range(1, min(12, len(pool)) + 1):
                if fits(pool[-back]):
                    pool[-back], pool[-1] = pool[-1], pool[-back]
                    break
        return pool.pop()

    def _members(self, size: int) -> list[Member]:
        rng = self.rng
        head_age = self._take(minor=False, fits=(lambda a: 28 <= a <= 55) if size >= 3 else None)
        head_sex = ("F" if rng.random() < 0.65 else "M") if size == 1 and head_age >= 65 else rng.choice("MF")
        members = [Member(relation=Relation.HEAD, age=head_age, sex=head_sex)]
        has_spouse = False
        for slot in range(1, size):
            if slot == 1 and rng.random() < 0.8:
                age = self._take(minor=False, fits=lambda a: abs(a - head_age) <= 8)
            else:
                age = self._take(minor=slot >= 2 or rng.random() < 0.12, fits=lambda a: 18 <= head_age - a <= 42)
            gap = head_age - age
            sex = rng.choice("MF")
            if abs(gap) <= 15 and age >= people.ADULT_AGE and not has_spouse and rng.random() < 0.9:
                relation, has_spouse, sex = Relation.SPOUSE, True, ("F" if head_sex == "M" else "M")
            elif gap >= 45:
                relation = Relation.GRANDCHILD
            elif gap >= 16:
                relation = Relation.CHILD
            elif gap <= -18:
                relation = Relation.PARENT
            else:
                relation = Relation.SIBLING if rng.random() < 0.8 else Relation.OTHER
            members.append(Member(relation=relation, age=age, sex=sex))
        return members

    def _household(self, household_id: int, size: int, dong: _Dong, household_lines: list, resident_lines: list):
        rng, today = self.rng, self.today
        members = self._members(size)
        for m in members:
            m.disability, m.care_grade = profiles.disability_and_care(rng, m.age)
        housing_types, cumulative = _HOUSING_CHOICES[size == 1]
        housing = rng.choices(housing_types, cum_weights=cumulative)[0]
        tenure = places.tenure_for(rng, housing)
        income = profiles.income_ratio_for(rng, members)
        benefits = profiles.benefits_for(rng, income_ratio=income, tenure=tenure, members=members)
        arrears, cutoffs = profiles.arrears_and_cutoffs(rng, income_ratio=income, tenure=tenure)
        tier = profiles.risk_tier_for(
            rng, members=members, income_ratio=income, benefits=benefits, arrears=arrears, cutoffs=cutoffs
        )
        tong_id, bans = dong.tongs[int(rng.random() * len(dong.tongs))]
        needs_nurse = tier == RiskTier.HIGH or any(m.elderly or m.severe for m in members)
        last_contact, next_due = NULL, NULL
        if tier != RiskTier.NONE:
            cadence = self.cadence[tier]
            if rng.random() < 0.1:
                next_due = today.isoformat()
            else:
                day = today - datetime.timedelta(days=rng.randint(0, int(cadence * 1.3)))
                at = datetime.datetime.combine(day, datetime.time(rng.randint(9, 17), rng.randrange(0, 60, 10)), self.tz)
                last_contact = at.isoformat()
                next_due = (day + datetime.timedelta(days=cadence)).isoformat()
        registered_dong, registered_address = NULL, ""
        if rng.random() < 0.02:
            other = self.dongs[rng.randrange(len(self.dongs))]
            registered_dong, registered_address = other.id, other.prefix + places.street(rng, other.roads)
        household_lines.append(self.households.line((
            str(household_id), dong.id, str(tong_id), str(int(rng.random() * bans) + 1),
            dong.prefix + places.street(rng, dong.roads), places.address_detail(rng, housing),
            registered_dong, registered_address, housing, tenure,
            "{" + ",".join(benefits) + "}", str(income), "{" + ",".join(arrears) + "}", "{" + ",".join(cutoffs) + "}",
            tier, dong.planner_of_tong[tong_id], dong.nurse if needs_nurse else NULL,
            last_contact, next_due, self.note, self.now, self.now,
        )))
        hid = str(household_id)
        for m in members:
            resident_lines.append(self._resident(hid, m))

    def _resident(self, household_id: str, m: Member) -> str:
        rng, today = self.rng, self.today
        birth = people.birth_date_for_age(rng, m.age, today)
        rrn = self.rrns.next(birth, m.sex)
        deceased, moved = NULL, NULL
        roll = rng.random()
        death_rate = 0.025 if m.age >= 80 else 0.008 if m.age >= 65 else 0.001
        if roll < death_rate:
            deceased = max(birth, today - datetime.timedelta(days=rng.randint(1, 700))).isoformat()
        elif roll < death_rate + (0.03 if 20 <= m.age < 45 else 0.01):
            moved = max(birth, today - datetime.timedelta(days=rng.randint(1, 700))).isoformat()
        if m.age < 10:
            phone = ""
        elif m.age >= 75 and rng.random() < 0.4:
            phone = people.landline_phone(rng)
        else:
            phone = people.mobile_phone(rng)
        health = ""
        if m.age >= 65 and rng.random() < 0.3:
            health = rng.choice(people.HEALTH_NOTES_ELDERLY)
        return self.residents.line((
            household_id, people.korean_name(rng, m.sex), m.relation, birth.isoformat(), m.sex,
            "f" if moved != NULL else "t", m.disability, m.care_grade, health, people.job_for(rng, m.age), phone,
            crypto.encrypt_rrn(rrn) if self.with_ciphertext else "", crypto.blind_index(rrn), crypto.mask_rrn(rrn),
            deceased, moved, self.now, self.now,
        ))


def _household_sizes(rng: random.Random, total: int) -> list[int]:
    """Household sizes summing to exactly `total` (the last household takes what is left)."""
    sizes: list[int] = []
    remaining = total
    cumulative = list(itertools.accumulate(HOUSEHOLD_SIZE_WEIGHTS))
    while remaining > 0:
        for size in rng.choices(HOUSEHOLD_SIZES, cum_weights=cumulative, k=max(16, remaining // 2)):
            size = min(size, remaining)
            sizes.append(size)
            remaining -= size
            if remaining == 0:
                break
    return sizes
