"""Versioned policy thresholds. Use `policy.value("care_sos.visit_deadline_hours", on=date)`."""


def value(key: str, *, on=None):
    from chatdong.policy.selectors import value as _value

    return _value(key, on=on)


def version(key: str, *, on=None):
    from chatdong.policy.selectors import version as _version

    return _version(key, on=on)


def median_income(*, year: int, household_size: int) -> int:
    from chatdong.policy.selectors import median_income as _median_income

    return _median_income(year=year, household_size=household_size)
