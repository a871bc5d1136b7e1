"""Versioned policy thresholds (ARCHITECTURE: policy is data).

Every read of a threshold goes through one accessor:

    used = policy.VersionsUsed()
    hours = policy.read("care_sos.visit_deadline_hours", on=received_at, record=used)

`on` is a date or datetime (today by default). `record`, when given, remembers the version of
every key read through it, so a decision can store the thresholds behind it: `used.ids()`
({key: version id}) or `used.snapshot()` ({key: {"id", "value", "valid_from"}}), and
`used[key]` is the `PolicyThreshold` row itself. A key with no version in force raises
`ThresholdMissing`, a Korean `ValidationError`: code never falls back to a copy of the number.
"""

from chatdong.policy.reader import VersionsUsed

__all__ = ["VersionsUsed", "read"]


def read(key: str, *, on=None, record: VersionsUsed | None = None):
    """The value of `key` in force on `on`; the version used is added to `record`."""
    from chatdong.policy.selectors import version

    row = version(key, on=on)
    if record is not None:
        record[key] = row
    return row.value

