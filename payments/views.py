from django.http import HttpResponse


def booking_pay(request, pk):
    return HttpResponse(status=501)


def booking_pay_return(request, pk):
    return HttpResponse(status=501)


def stripe_webhook(request):
    return HttpResponse(status=501)
