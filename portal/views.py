from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What to do next, for the signed-in user's role."""
    return render(
        request, "portal/home.html", {"managed_departments": request.user.managed_departments.all()}
    )
