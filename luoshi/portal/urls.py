from django.urls import path

from luoshi.portal import views

app_name = "portal"

urlpatterns = [
]
