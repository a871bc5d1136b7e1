"""URLs of Care SOS (돌봄SOS), served under `/cases/` in the `cases` namespace (`cases/urls.py`
assembles the sibling apps). Object routes are `care-requests/<pk>/…`."""

from django.urls import path

from cases.care_sos.views import gu, plan, requests

urlpatterns = [
    path("care-requests/", requests.care_request_list, name="care_request_list"),
    path("care-requests/new/", requests.care_request_intake_view, name="care_request_intake"),
    path("care-requests/new/households/", requests.care_request_household_search, name="care_request_household_search"),
    path("care-requests/<int:pk>/", requests.care_request_detail, name="care_request_detail"),
    path("care-requests/<int:pk>/schedule/", requests.care_request_schedule, name="care_request_schedule"),
    path("care-requests/<int:pk>/visit/", requests.care_request_visit, name="care_request_visit"),
    path("care-requests/<int:pk>/withdraw/", requests.care_request_withdraw, name="care_request_withdraw"),
    path("care-requests/<int:pk>/ineligible/", requests.care_request_ineligible, name="care_request_ineligible"),
    path("care-requests/<int:pk>/transfer/", requests.care_request_transfer, name="care_request_transfer"),
    path("care-requests/<int:pk>/assessment/", plan.care_assessment, name="care_assessment"),
    path("care-requests/<int:pk>/plan/", plan.care_plan, name="care_plan"),
    path("care-requests/<int:pk>/plan/start/", plan.care_plan_start, name="care_plan_start"),
    path("care-requests/<int:pk>/plan/update/", plan.care_plan_update, name="care_plan_update"),
    path("care-requests/<int:pk>/plan/lines/", plan.care_plan_line_add, name="care_plan_line_add"),
    path("care-requests/<int:pk>/plan/lines/remove/", plan.care_plan_line_remove, name="care_plan_line_remove"),
    path("care-requests/<int:pk>/plan/preview/", plan.care_plan_preview, name="care_plan_preview"),
    path("care-requests/<int:pk>/plan/print/", plan.care_plan_print, name="care_plan_print"),
    path("care-requests/<int:pk>/plan/submit/", requests.care_plan_submit, name="care_plan_submit"),
    path("care-requests/<int:pk>/plan/revise/", requests.care_plan_revise, name="care_plan_revise"),
    path("care-requests/<int:pk>/plan/approve/", requests.care_plan_approve, name="care_plan_approve"),
    path("care-requests/<int:pk>/plan/return/", requests.care_plan_return, name="care_plan_return"),
    path("care-requests/<int:pk>/deliveries/", requests.care_request_delivery, name="care_request_delivery"),
    path("care-requests/<int:pk>/finish/", requests.care_request_finish, name="care_request_finish"),
    path("care-requests/<int:pk>/follow-up/", requests.care_request_follow_up, name="care_request_follow_up"),
    path("care-requests/<int:pk>/close/", requests.care_request_close, name="care_request_close"),
    path("care-plans/approvals/", gu.approval_queue, name="care_plan_approvals"),
    path("care-sos/sla/", gu.sla_board, name="care_sos_sla"),
    path("care-sos/providers/", gu.provider_list, name="care_sos_providers"),
]
