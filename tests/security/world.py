"""Two areas of test data — one in the acting users' scope, one outside it — and one user per role.

Each area gets a household, a resident, a contact, a crisis report (and, when the module
exists, a no-response procedure), all tagged with a unique marker string so a test can
prove an out-of-scope object never shows up in any response body.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.utils import timezone

from cases.models import Contact, ContactMode, ContactOutcome, CrisisReport, ReportChannel
from chatdong.accounts.roles import CITY_ROLES, GU_ROLES, Role
from tests.factories import (
    DongFactory,
    GuFactory,
    HouseholdFactory,
    ResidentFactory,
    TongFactory,
    UserFactory,
)


@dataclass
class Area:
    dong: object
    marker: str
    tong: object = None
    household: object = None
    resident: object = None
    contact: object = None
    report: object = None
    extra: dict = field(default_factory=dict)

    def objects(self) -> dict:
        """model class → instance in this area (used to fill URL kwargs)."""
        found = {
            type(self.household): self.household,
            type(self.resident): self.resident,
            type(self.contact): self.contact,
            type(self.report): self.report,
        }
        for obj in self.extra.values():
            found[type(obj)] = obj
        return found


def build_area(*, dong, author) -> Area:
    marker = f"표식{uuid.uuid4().hex[:10]}"
    tong = TongFactory(dong=dong)
    household = HouseholdFactory(dong=dong, tong=tong, address=f"{marker} 가구주소 1")
    resident = ResidentFactory(household=household, name=f"{marker}주민", phone="010-1111-2222")
    contact = Contact.objects.create(
        household=household, resident=resident, mode=ContactMode.PHONE, outcome=ContactOutcome.MET,
        occurred_at=timezone.now() - datetime.timedelta(days=1), notes=f"{marker} 상담 내용", created_by=author,
    )
    contact.staff.set([author])
    report = CrisisReport.objects.create(
        dong=dong, channel=ReportChannel.HOTLINE, received_at=timezone.now() - datetime.timedelta(hours=3),
        address=f"{marker} 제보주소", situation=f"{marker} 위기 상황", household=household, created_by=author,
    )
    area = Area(dong=dong, marker=marker, tong=tong, household=household, resident=resident, contact=contact,
                report=report)
    _add_no_response(area, author)
    _add_care_request(area, author)
    return area


def _add_no_response(area: Area, author) -> None:
    """A no-response procedure (and its first step)."""
    from cases.services.no_response import no_response_start

    procedure = no_response_start(actor=author, household=area.household, trigger=f"{area.marker} 무응답")
    area.extra["no_response"] = procedure
    step = procedure.steps.order_by("day", "pk").first()
    if step is not None:
        area.extra["no_response_step"] = step


def _add_care_request(area: Area, author) -> None:
    """A Care SOS request for the area's resident when that module is present."""
    try:
        from cases.care_sos.models import InformalCarer, IntakeChannel, ReasonKind
        from cases.care_sos.services.intake import care_request_intake
    except ImportError:
        return
    area.extra["care_request"] = care_request_intake(
        actor=author, channel=IntakeChannel.values[0], reason_kind=ReasonKind.values[0],
        reason=f"{area.marker} 돌봄 필요", informal_carer=InformalCarer.values[0],
        household=area.household, resident=area.resident,
    )


def user_for(role: Role, *, dong):
    """A user of `role` whose scope covers `dong` (where a role has an area at all)."""
    if role in CITY_ROLES:
        return UserFactory(role=role, dong=None, gu=None, username=f"{role}-{uuid.uuid4().hex[:6]}")
    if role in GU_ROLES:
        return UserFactory(role=role, dong=None, gu=dong.gu, username=f"{role}-{uuid.uuid4().hex[:6]}")
    return UserFactory(role=role, dong=dong, username=f"{role}-{uuid.uuid4().hex[:6]}")


@dataclass
class World:
    inside: Area
    outside: Area
    users: dict


def build_world() -> World:
    dong_in = DongFactory()
    dong_out = DongFactory(gu=GuFactory())  # another gu: out of scope even for the gu coordinator
    users = {role: user_for(role, dong=dong_in) for role in Role}
    author_out = user_for(Role.PLANNER, dong=dong_out)
    inside = build_area(dong=dong_in, author=users[Role.PLANNER])
    outside = build_area(dong=dong_out, author=author_out)
    return World(inside=inside, outside=outside, users=users)
