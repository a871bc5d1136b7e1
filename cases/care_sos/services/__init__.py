"""Care SOS (돌봄SOS) services, one module per stage of the workflow (DOMAIN §8):

- `intake`: 접수 — the person in need (household/resident created if new), the reason,
  urgency and the informal carer; the visit deadline from policy, with its version.
- `visits`: 방문 일정·방문 기록 (the 72-hour visit), and the side exits (철회, 지원 불가, 이관).
- `assessment`: 욕구 사정 by domain, ADL difficulties, the informal carer, the kinds of care.
- `plans`: 케어플랜 lines, costs and self-pay (policy versions stored), submission.
- `approvals`: the gu care-support team's append-only approve / return decisions.
- `delivery`: services delivered, the end of service, follow-up and closure.
- `escalation`: the deadline warnings (each sent once) run by the Celery beat task.

Every function takes keyword-only arguments, runs in one transaction, records a
`CareRequestEvent` for each transition and writes its access-log row.
"""
