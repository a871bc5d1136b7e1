"""URLs of Care SOS (돌봄SOS), served under `/cases/` in the `cases` namespace (`cases/urls.py`
assembles the sibling apps). Object routes are `care-requests/<pk>/…`."""

from django.urls import path

from cases.care_sos.views import gu as care_sos_gu
from cases.care_sos.views import plan as care_sos_plan
from cases.care_sos.views import requests as care_sos

urlpatterns = [
    path("care-requests/", care_sos.care_request_list, name="care_request_list"),
    path("care-requests/new/", care_sos.care_request_intake_view, name="care_request_intake"),
    path("care-requests/new/households/", care_sos.care_request_household_search, name="care_request_household_search"),
    path("care-requests/<int:pk>/", care_sos.care_request_detail, name="care_request_detail"),
    path("care-requests/<int:pk>/schedule/", care_sos.care_request_schedule, name="care_request_schedule"),
    path("care-requests/<int:pk>/visit/", care_sos.care_request_visit, name="care_request_visit"),
    path("care-requests/<int:pk>/withdraw/", care_sos.care_request_withdraw, name="care_request_withdraw"),
    path("care-requests/<int:pk>/ineligible/", care_sos.care_request_ineligible, name="care_request_ineligible"),
    path("care-requests/<int:pk>/transfer/", care_sos.care_request_transfer, name="care_request_transfer"),
    path("care-requests/<int:pk>/assessment/", care_sos_plan.care_assessment, name="care_assessment"),
    path("care-requests/<int:pk>/plan/", care_sos_plan.care_plan, name="care_plan"),
    path("care-requests/<int:pk>/plan/start/", care_sos_plan.care_plan_start, name="care_plan_start"),
    path("care-requests/<int:pk>/plan/update/", care_sos_plan.care_plan_update, name="care_plan_update"),
    path("care-requests/<int:pk>/plan/lines/", care_sos_plan.care_plan_line_add, name="care_plan_line_add"),
    path("care-requests/<int:pk>/plan/lines/remove/", care_sos_plan.care_plan_line_remove, name="care_plan_line_remove"),
    path("care-requests/<int:pk>/plan/preview/", care_sos_plan.care_plan_preview, name="care_plan_preview"),
    path("care-requests/<int:pk>/plan/print/", care_sos_plan.care_plan_print, name="care_plan_print"),
    path("care-requests/<int:pk>/plan/submit/", care_sos.care_plan_submit, name="care_plan_submit"),
    path("care-requests/<int:pk>/plan/revise/", care_sos.care_plan_revise, name="care_plan_revise"),
    path("care-requests/<int:pk>/plan/approve/", care_sos.care_plan_approve, name="care_plan_approve"),
    path("care-requests/<int:pk>/plan/return/", care_sos.care_plan_return, name="care_plan_return"),
    path("care-requests/<int:pk>/deliveries/", care_sos.care_request_delivery, name="care_request_delivery"),
    path("care-requests/<int:pk>/finish/", care_sos.care_request_finish, name="care_request_finish"),
    path("care-requests/<int:pk>/follow-up/", care_sos.care_request_follow_up, name="care_request_follow_up"),
    path("care-requests/<int:pk>/close/", care_sos.care_request_close, name="care_request_close"),
    path("care-plans/approvals/", care_sos_gu.approval_queue, name="care_plan_approvals"),
    path("care-sos/sla/", care_sos_gu.sla_board, name="care_sos_sla"),
    path("care-sos/providers/", care_sos_gu.provider_list, name="care_sos_providers"),
]
