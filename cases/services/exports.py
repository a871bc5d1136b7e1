"""Excel export of household lists (search results, worklist). ARCHITECTURE: privacy.

Every cell goes through `safe_cell`, so an address or a reason typed as "=HYPERLINK(…)" is
written as text, never as a live formula.

An export is a disclosure: it needs a reason, it is written to the access log (one list row
with the reason and the row count, and one row per exported household so each household's
history shows it), and RRNs appear only masked.
"""

import datetime
import io
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from cases.models import Benefit
from cases.selectors.households import with_summary
from chatdong.accounts.scoping import scope
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access, log_household_access_many
from chatdong.policy.models import MedianIncome
from chatdong.policy.selectors import ThresholdMissing, median_income
from chatdong.tabular import safe_cell

EXPORT_MAX_ROWS = 10_000
WON = '#,##0"원"'
PERCENT = '0.0"%"'
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"


def _local(at: datetime.datetime | None):
    return timezone.localtime(at).replace(tzinfo=None) if at else None


def _median_lookup(on: datetime.date) -> Callable[[int], int | None]:
    """기준중위소득 (₩/month) by household size, from the latest year on or before `on`.

    The figures (sizes above 7 included) come from the policy rule; a size the table cannot
    give is an empty cell. One query per distinct size, not per row.
    """
    year = MedianIncome.objects.filter(year__lte=on.year).order_by("-year").values_list("year", flat=True).first()
    cache: dict[int, int | None] = {}

    def lookup(size: int) -> int | None:
        if year is None or size < 1:
            return None
        if size not in cache:
            try:
                cache[size] = median_income(year=year, household_size=size)
            except ThresholdMissing:
                cache[size] = None
        return cache[size]

    return lookup


def _estimated_income(median: int | None, ratio: Decimal | None) -> int | None:
    if median is None or ratio is None:
        return None
    return int((Decimal(median) * ratio / 100).quantize(Decimal(1)))


# (Korean header, width, number format, value getter(household, context))
COLUMNS = (
    ("관할 동", 14, None, lambda h, c: h.dong.name),
    ("통", 6, "0", lambda h, c: h.tong.number if h.tong else None),
    ("반", 6, "0", lambda h, c: h.ban),
    ("실거주 주소", 36, None, lambda h, c: h.address),
    ("상세 주소", 16, None, lambda h, c: h.address_detail),
    ("주소 미이전", 10, None, lambda h, c: "예" if h.address_mismatch else ""),
    ("주민등록상 주소", 30, None, lambda h, c: h.registered_address),
    ("가구주", 10, None, lambda h, c: h.head_name or ""),
    ("가구주 주민등록번호", 18, None, lambda h, c: h.head_rrn_masked or ""),
    ("연락처", 15, None, lambda h, c: h.head_phone or ""),
    ("가구원 수", 9, "0", lambda h, c: h.member_count),
    ("주거 형태", 11, None, lambda h, c: h.get_housing_type_display()),
    ("점유 형태", 9, None, lambda h, c: h.get_tenure_display()),
    ("수급·지원", 20, None, lambda h, c: ", ".join(Benefit(b).label for b in h.benefits if b in Benefit.values)),
    ("기준중위소득 대비", 12, PERCENT, lambda h, c: float(h.income_ratio) if h.income_ratio is not None else None),
    ("기준중위소득(월)", 15, WON, lambda h, c: c["median"](h.member_count)),
    ("추정 소득인정액(월)", 17, WON, lambda h, c: _estimated_income(c["median"](h.member_count), h.income_ratio)),
    ("위험 등급", 9, None, lambda h, c: h.get_risk_tier_display()),
    ("담당 복지플래너", 12, None, lambda h, c: h.planner.display_name if h.planner else ""),
    ("담당 방문간호사", 12, None, lambda h, c: h.nurse.display_name if h.nurse else ""),
    ("최근 상담일시", 17, DATETIME, lambda h, c: _local(h.last_contact_at)),
    ("다음 상담 예정일", 14, DATE, lambda h, c: h.next_contact_due),
    ("다음 조치", 24, None, lambda h, c: h.next_action or ""),
)


def _workbook(rows: list, *, actor, reason: str, source_label: str, now: datetime.datetime) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "가구 목록"
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F5")
    for col, (header, width, _fmt, _get) in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=header)
        cell.font, cell.fill = header_font, header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    context = {"median": _median_lookup(timezone.localdate(now))}
    for r, household in enumerate(rows, start=2):
        for col, (_header, _width, fmt, get) in enumerate(COLUMNS, start=1):
            cell = ws.cell(row=r, column=col, value=safe_cell(get(household, context)))
            if fmt:
                cell.number_format = fmt
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"

    info = wb.create_sheet("내보내기 정보")
    for r, (label, value) in enumerate(
        (
            ("내보낸 곳", source_label),
            ("내보낸 사람", f"{actor.display_name} ({actor.get_role_display()})"),
            ("내보낸 일시", _local(now)),
            ("사유", reason),
            ("건수", len(rows)),
            ("주의", "개인정보가 포함된 파일입니다. 업무 목적 외 사용·보관을 금지하며, 사용 후 파기하세요."),
        ),
        start=1,
    ):
        info.cell(row=r, column=1, value=label).font = header_font
        cell = info.cell(row=r, column=2, value=safe_cell(value))
        if isinstance(value, datetime.datetime):
            cell.number_format = DATETIME
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 70

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def households_export(
    *, actor, households: QuerySet, reason: str, source_label: str = "가구 검색"
) -> tuple[bytes, int]:
    """Build an .xlsx of `households` (re-scoped to the actor) and log the export.

    Returns (file bytes, row count). An empty reason, or more than EXPORT_MAX_ROWS rows, is
    refused with a Korean message before anything is read or logged.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "내보내기 사유를 입력하세요."})
    qs = with_summary(scope(households, actor)).order_by("dong__name", "tong__number", "address", "address_detail", "pk")
    rows = list(qs[: EXPORT_MAX_ROWS + 1])
    if len(rows) > EXPORT_MAX_ROWS:
        raise ValidationError(
            f"한 번에 {EXPORT_MAX_ROWS:,}건까지 내보낼 수 있습니다. 검색 조건을 좁혀 주세요."
        )
    now = timezone.now()
    count = len(rows)
    log_access(
        user=actor, subject_type=AccessLog.Subject.LIST, subject_id=None,
        action=AccessLog.Action.EXPORT, reason=f"{reason[:270]} ({source_label} {count:,}건)",
    )
    log_household_access_many(
        user=actor, household_ids=[h.pk for h in rows], action=AccessLog.Action.EXPORT, reason=reason,
    )
    return _workbook(rows, actor=actor, reason=reason, source_label=source_label, now=now), count
