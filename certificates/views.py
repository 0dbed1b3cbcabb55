import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from core.http import not_found_for

from . import selectors
from .pdf import certificate_pdf

# What a code can hold, as printed (ABCD-EFGH-JKMN) or typed in either case.
# Nothing else is looked up: a NUL byte, say, is refused by PostgreSQL outright.
CODE_PATTERN = "[A-Za-z0-9-]{1,20}"


@require_safe
def verify(request, code=None):
    """Anyone may check a certificate by its code: it shows who earned what and
    when, nothing else."""
    typed = request.GET.get("code", "")
    code = (code or typed).strip().upper()
    well_formed = re.fullmatch(CODE_PATTERN, code) is not None
    # Only a code that can be an address is sent to its own; blank, with a "/"
    # or odd bytes, it is answered here (no certificate), never with a 500.
    if typed and well_formed:
        return redirect("certificates:verify", code=code)
    certificate = selectors.certificate_by_code(code) if well_formed else None
    return render(
        request,
        "certificates/certificate_verify.html",
        {"certificate": certificate, "code": code},
        status=200 if certificate or not code else 404,
    )


@login_required
@require_safe
def my_certificates(request):
    return render(
        request, "certificates/certificate_list.html", {"certificates": selectors.certificates_for_user(request.user)}
    )


@login_required
@require_safe
def download(request, code):
    certificate = selectors.certificate_by_code(code)
    if certificate is None:
        raise Http404("No such certificate")
    if certificate.user_id != request.user.pk:
        raise not_found_for(request.user, "certificate", certificate.pk)
    verify_url = settings.SITE_URL.rstrip("/") + certificate.get_absolute_url()
    response = HttpResponse(certificate_pdf(certificate, verify_url=verify_url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response
