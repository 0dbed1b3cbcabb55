from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("certificates/", views.my_certificates, name="mine"),
    path("certificates/check/", views.verify, name="check"),
    path("certificates/<str:code>/", views.verify, name="verify"),
    path("certificates/<str:code>/download/", views.download, name="download"),
]
