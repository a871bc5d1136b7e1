"""URLs of the household screens, included by cases/urls.py under /cases/ (namespace cases)."""

from django.urls import path

from cases.views import contacts, households, imports, worklist

urlpatterns = [
    path("worklist/", worklist.worklist_view, name="worklist"),
    path("worklist/export/", worklist.worklist_export_view, name="worklist_export"),
    path("households/", households.household_search_view, name="household_search"),
    path("households/export/", households.household_export_view, name="household_export"),
    path("households/new/", households.household_create_view, name="household_create"),
    path("households/<int:pk>/", households.household_detail_view, name="household_detail"),
    path("households/<int:pk>/edit/", households.household_edit_view, name="household_edit"),
    path("households/<int:pk>/tier/", households.household_tier_view, name="household_tier"),
    path("households/<int:pk>/residents/new/", households.resident_create_view, name="resident_create"),
    path("households/<int:pk>/residents/<int:resident_pk>/edit/", households.resident_edit_view, name="resident_edit"),
    path("households/<int:pk>/residents/<int:resident_pk>/reveal/", households.resident_reveal_view, name="resident_reveal"),
    path("households/<int:pk>/contacts/new/", contacts.contact_create_view, name="contact_create"),
    path("households/<int:pk>/contacts/not-home/", contacts.contact_not_home_view, name="contact_not_home"),
    path("households/<int:pk>/contacts/refused/", contacts.contact_refused_view, name="contact_refused"),
    path("import/", imports.import_view, name="import"),
    path("import/template.xlsx", imports.import_template_view, {"fmt": "xlsx"}, name="import_template_xlsx"),
    path("import/template.csv", imports.import_template_view, {"fmt": "csv"}, name="import_template_csv"),
]
