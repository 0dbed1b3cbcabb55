from django.urls import path, register_converter

from . import views


class CodeConverter:
    """A certificate's code in its address. Any other text (a NUL byte, say) is
    no certificate's address, so it answers 404 before any view or query."""

    regex = views.CODE_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CodeConverter, "certificate_code")

app_name = "certificates"

urlpatterns = [
    path("certificates/", views.my_certificates, name="mine"),
    path("certificates/check/", views.verify, name="check"),
    path("certificates/<certificate_code:code>/", views.verify, name="verify"),
    path("certificates/<certificate_code:code>/download/", views.download, name="download"),
]
