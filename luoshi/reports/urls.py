from django.urls import path

from luoshi.reports import views

app_name = "reports"

urlpatterns = [
]
