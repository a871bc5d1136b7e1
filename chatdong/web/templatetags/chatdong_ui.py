"""Template helpers for the KRDS-based UI: form widgets, badges, values, pagination."""

import datetime
from decimal import Decimal

from django import forms, template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone

register = template.Library()

BADGE_TONES = frozenset(
    {"primary", "secondary", "gray", "point", "danger", "warning", "success", "information", "disabled"}
)
BADGE_STYLES = {"light": "bg-light-", "solid": "bg-", "outline": "outline-"}


def _widget_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        return ""
    if isinstance(widget, forms.Select):
        return "krds-form-select"
    return "krds-input"


@register.filter
def krds_widget(bound_field):
    """Render a bound field's widget with KRDS classes and accessible error/hint links."""
    widget = bound_field.field.widget
    classes = " ".join(c for c in (widget.attrs.get("class", ""), _widget_class(widget)) if c)
    attrs = {"class": classes} if classes else {}
    described = []
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{bound_field.auto_id}_error")
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}_helptext")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return bound_field.as_widget(attrs=attrs)


@register.filter
def widget_kind(bound_field) -> str:
    """'checkbox', 'choices' (radio / multiple checkboxes), 'hidden' or 'input'."""
    widget = bound_field.field.widget
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


@register.filter
def badge_class(tone: str, style: str = "light") -> str:
    """KRDS badge classes for a tone (primary, danger, success, ...); unknown tones are gray."""
    tone = tone if tone in BADGE_TONES else "gray"
    return f"krds-badge {BADGE_STYLES.get(style, BADGE_STYLES['light'])}{tone}"


def _number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    return intcomma(value, use_l10n=False)


@register.filter
def policy_value(value, unit: str = "") -> str:
    """A policy threshold value for people: 1,500,000원, 65세, "65세, 70세" for lists,
    "7월~8월" for a start/end pair, 예/아니오 for booleans."""
    unit = unit or ""
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if value is None:
        return "없음"
    if isinstance(value, list | tuple):
        return ", ".join(policy_value(v, unit) for v in value)
    if isinstance(value, dict):
        starts = [k for k in value if str(k).startswith("start")]
        ends = [k for k in value if str(k).startswith("end")]
        if len(value) == 2 and len(starts) == 1 and len(ends) == 1:
            return f"{policy_value(value[starts[0]], unit)}~{policy_value(value[ends[0]], unit)}"
        return ", ".join(f"{k}: {policy_value(v, unit)}" for k, v in value.items())
    if isinstance(value, int | float | Decimal):
        return f"{_number(value)}{unit}"
    # Korean units attach to the number or word (65세, 72시간, 50%).
    return f"{value}{unit}"


@register.filter
def korean_duration(value) -> str:
    """A timedelta (or seconds) as '1시간 30분' / '45분' / '2일'."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime.timedelta):
        value = datetime.timedelta(seconds=int(value))
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 60 * 24)
    hours, minutes = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "일"), (hours, "시간"), (minutes, "분")) if n]
    return " ".join(parts) or "1분 미만"


@register.simple_tag
def elided_pages(page, on_each_side: int = 2, on_ends: int = 1) -> list:
    """Page numbers for a pagination bar, with Paginator.ELLIPSIS where pages are skipped."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=on_each_side, on_ends=on_ends))


@register.filter
def is_ellipsis(item, page) -> bool:
    return item == page.paginator.ELLIPSIS


@register.simple_tag
def login_policy() -> dict:
    """Login rules as configured (lockout after N failures, cool-off, idle logout), for the
    login and lockout pages to state them without repeating numbers from settings."""
    return {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff": korean_duration(settings.AXES_COOLOFF_TIME),
        "idle": korean_duration(settings.SESSION_IDLE_TIMEOUT),
    }


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template, or None: {{ scheduled|lookup:t.key }}."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def scheduled_only(scheduled: dict, current) -> list:
    """(key, versions) for keys that have scheduled versions but none in force yet."""
    in_force = {row.key for row in current}
    return [(key, rows) for key, rows in sorted(scheduled.items()) if key not in in_force]


@register.simple_tag
def threshold_state(version, on=None) -> dict:
    """Whether a threshold version is in force, scheduled or ended on `on` (today)."""
    day = on or timezone.localdate()
    if version.valid_from > day:
        return {"label": "적용 예정", "tone": "information"}
    if version.valid_to is not None and version.valid_to < day:
        return {"label": "종료", "tone": "gray"}
    return {"label": "적용 중", "tone": "success"}


ACTION_TONES = {"view": "gray", "create": "primary", "update": "primary", "delete": "danger",
                "print": "warning", "export": "warning", "reveal": "danger"}


@register.filter
def action_tone(action: str) -> str:
    """Badge tone for an access-log action: disclosures (print/export/reveal) stand out."""
    return ACTION_TONES.get(action, "gray")


@register.simple_tag
def current_year_of(years, today) -> int | None:
    """The year of a by-year table to show first: the latest not after today's year."""
    past = [year for year in years if year <= today.year]
    return max(past) if past else (min(years) if years else None)
