from cases.care_sos.urls import urlpatterns as care_sos_urlpatterns
from cases.views.discovery_urls import urlpatterns as discovery_urlpatterns
from cases.views.households_urls import urlpatterns as household_urlpatterns

app_name = "cases"
urlpatterns = [*household_urlpatterns, *discovery_urlpatterns, *care_sos_urlpatterns]
