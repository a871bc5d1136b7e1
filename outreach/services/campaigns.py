"""Creating and editing campaigns. DOMAIN §6."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from cases.models import HousingType, RiskTier
from chatdong import policy
from chatdong.accounts.rules import is_active_user, is_admin, is_supervisor
from chatdong.accounts.scoping import writable_dongs
from outreach.models import Campaign, CampaignKind
from outreach.services.cohorts import TARGETED_FILTERS

# Kinds created by hand; big-data rounds come from an upload, activity alerts by themselves.
MANUAL_KINDS = (
    CampaignKind.UNIVERSAL, CampaignKind.PARENTING, CampaignKind.SUMMER, CampaignKind.WINTER,
    CampaignKind.LONELY_DEATH, CampaignKind.RISK_TIER, CampaignKind.TARGETED,
)


def can_manage(user) -> bool:
    """Who may create and run campaigns: the supervisors — admins (anywhere), gu coordinators
    (their gu), team leaders and dong heads (their dong)."""
    return bool(is_active_user(user) and is_supervisor(user))


def window_period(kind: str, year: int) -> tuple[datetime.date, datetime.date]:
    """The summer or winter discovery window of a year from policy ({"start_month", "end_month"});
    a window whose end month comes before its start (winter: 12–2) runs into the next year."""
    key = "outreach.summer_window" if kind == CampaignKind.SUMMER else "outreach.winter_window"
    window = policy.read(key, on=datetime.date(year, 1, 1))
    start_month, end_month = int(window["start_month"]), int(window["end_month"])
    end_year = year + 1 if end_month < start_month else year
    start = datetime.date(year, start_month, 1)
    end = datetime.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    return start, end


def _lock_universal_year(year: int) -> None:
    """Serialise the creation of a year's universal campaigns (the same lock as the database
    trigger that enforces one per dong and year, migration outreach 0005)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('outreach:universal'), %s)", [int(year)])


def check_universal_unique(*, year: int, dongs, exclude_pk: int | None = None) -> None:
    """A second 65·70 universal campaign for a dong and year would give every resident of the
    cohort a second visit task: refused with a Korean message on the dongs field. A campaign
    without dongs is city-wide and overlaps every other one of its year. `exclude_pk`: the
    campaign being edited (admin)."""
    dongs = list(dongs or [])
    others = Campaign.objects.filter(kind=CampaignKind.UNIVERSAL, year=year).exclude(pk=exclude_pk)
    if dongs:
        others = others.filter(Q(dongs__in=dongs) | Q(dongs__isnull=True))
    clash = others.order_by("pk").distinct().first()
    if clash is None:
        return
    shared = sorted(set(clash.dongs.values_list("name", flat=True)) & {d.name for d in dongs})
    if shared:
        overlap = f"{'·'.join(shared)}은(는) 이미 '{clash.name}' 캠페인의 대상입니다."
    elif dongs:
        overlap = f"'{clash.name}' 캠페인이 이미 서울시 전체를 대상으로 합니다."
    else:
        overlap = f"서울시 전체를 대상으로 하면 '{clash.name}' 캠페인과 겹칩니다."
    raise ValidationError({
        "dongs": f"{year}년 보편방문(65·70세) 캠페인이 이미 있습니다. {overlap} 같은 해 같은 동의 보편방문은 "
                 "한 캠페인으로만 만들 수 있습니다(두 번 만들면 대상 어르신마다 방문 과제가 두 번 생깁니다).",
    })


def _clean_params(kind: str, params: dict) -> dict:
    params = dict(params or {})
    if kind == CampaignKind.TARGETED:
        errors = {}
        for key in ("age_min", "age_max"):
            if params.get(key) in (None, ""):
                params.pop(key, None)
                continue
            try:
                params[key] = int(params[key])
            except (TypeError, ValueError):
                errors[key] = "나이는 숫자로 입력하세요."
                continue
            if not 0 <= params[key] <= 130:
                errors[key] = "나이는 0~130 사이로 입력하세요."
        if not errors and params.get("age_min") is not None and params.get("age_max") is not None \
                and params["age_min"] > params["age_max"]:
            errors["age_max"] = "최대 나이가 최소 나이보다 작습니다."
        bad_housing = [h for h in params.get("housing_types") or [] if h not in HousingType.values]
        if bad_housing:
            errors["housing_types"] = "알 수 없는 주거 형태입니다."
        bad_tiers = [t for t in params.get("tiers") or [] if t not in RiskTier.values]
        if bad_tiers:
            errors["tiers"] = "알 수 없는 위험 등급입니다."
        params["living_alone"] = bool(params.get("living_alone"))
        if not errors and not any(params.get(k) not in (None, "", [], False) for k in TARGETED_FILTERS):
            errors["params"] = "기획조사는 나이·주거 형태·1인가구·위험 등급 중 하나 이상의 조건이 필요합니다."
        if errors:
            raise ValidationError(errors)
    return params


@transaction.atomic
def campaign_create(
    *,
    actor,
    kind: str,
    name: str,
    year: int,
    dongs,
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    due_days: int = 30,
    params: dict | None = None,
) -> Campaign:
    """A campaign over `dongs` (all in the actor's area; none = city-wide, admins only).

    Summer and winter campaigns take their period from the policy window of the year unless
    given; the others default to the calendar year."""
    if not can_manage(actor):
        raise ValidationError("캠페인을 만들 권한이 없습니다.")
    if kind not in MANUAL_KINDS:
        raise ValidationError({"kind": "직접 만들 수 있는 캠페인 종류가 아닙니다."})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "캠페인 이름을 입력하세요."})
    dongs = list(dongs or [])
    if not dongs and not is_admin(actor):
        raise ValidationError({"dongs": "대상 동을 하나 이상 선택하세요."})
    allowed = set(writable_dongs(actor).values_list("pk", flat=True))
    if any(d.pk not in allowed for d in dongs):
        raise ValidationError({"dongs": "담당 구역이 아닌 동은 대상으로 지정할 수 없습니다."})
    if kind in (CampaignKind.SUMMER, CampaignKind.WINTER) and (period_start is None or period_end is None):
        period_start, period_end = window_period(kind, year)
    period_start = period_start or datetime.date(year, 1, 1)
    period_end = period_end or datetime.date(year, 12, 31)
    if period_end < period_start:
        raise ValidationError({"period_end": "기간 종료일이 시작일보다 앞섭니다."})
    if due_days is None or not 0 <= int(due_days) <= 365:
        raise ValidationError({"due_days": "처리 기한은 0~365일로 입력하세요."})
    if kind == CampaignKind.UNIVERSAL:
        _lock_universal_year(year)
        check_universal_unique(year=year, dongs=dongs)
    campaign = Campaign.objects.create(
        kind=kind, name=name[:120], year=year, period_start=period_start, period_end=period_end,
        due_days=int(due_days), params=_clean_params(kind, params), created_by=actor,
    )
    campaign.dongs.set(dongs)
    return campaign


@transaction.atomic
def campaign_set_active(*, actor, campaign: Campaign, active: bool) -> Campaign:
    if not can_manage(actor):
        raise ValidationError("캠페인을 바꿀 권한이 없습니다.")
    Campaign.objects.filter(pk=campaign.pk).update(active=active)
    campaign.active = active
    return campaign


def activity_campaign(year: int) -> Campaign:
    """The year's activity-alert campaign (city-wide), created on first use; concurrent
    first uses meet on the (kind, year) unique constraint."""
    existing = Campaign.objects.filter(kind=CampaignKind.ACTIVITY, year=year).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Campaign.objects.create(
                kind=CampaignKind.ACTIVITY, name=f"{year}년 안부 확인 알림(IoT·통신)", year=year,
                period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31), due_days=0,
            )
    except IntegrityError:
        return Campaign.objects.get(kind=CampaignKind.ACTIVITY, year=year)
