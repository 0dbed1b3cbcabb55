from django.http import HttpResponse


def finance_summary(request):
    return HttpResponse(status=501)
