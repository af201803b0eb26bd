"""A trivial endpoint for load balancers and for the bench's baseline (no database, no template)."""

from django.http import HttpResponse


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
