from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from mozilla_django_oidc import views as oidc_views

from accounts import oidc, selectors, services
from accounts.client_ip import client_ip
from accounts.forms import TokenCreateForm
from portal.http import AuthenticatedHttpRequest


def local_passwords_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """404 when the deployment signs in through single sign-on only (LOCAL_PASSWORDS_ENABLED off)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.LOCAL_PASSWORDS_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def sso_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """404 unless single sign-on is configured (OIDC_ENABLED)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    """Django's sign-in page, with the single sign-on button; password sign-in only where allowed."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOCAL_PASSWORDS_ENABLED:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    """Sign out here, then at the provider when the session came from single sign-on."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get("oidc_id_token", "")
        response = super().post(request, *args, **kwargs)
        provider_url = oidc.provider_logout_url(request, id_token)
        return HttpResponseRedirect(provider_url) if provider_url else response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, limited per client address (429) and per e-mail address (silently: the
    answer must not tell whether an account exists)."""

    def form_valid(self, form: Any) -> HttpResponse:
        address_ok, account_ok = services.password_reset_allowed(
            client_ip=client_ip(self.request), email=form.cleaned_data["email"]
        )
        if not address_ok:
            response = render(self.request, "registration/password_reset_limited.html", status=429)
            response["Retry-After"] = "3600"
            return response
        if not account_ok:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


oidc_start = sso_only(oidc_views.OIDCAuthenticationRequestView.as_view())
oidc_callback = sso_only(oidc_views.OIDCAuthenticationCallbackView.as_view())


@require_GET
@login_required
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "tokens": selectors.tokens_of(user=request.user),
        "form": TokenCreateForm(),
        "new_key": request.session.pop("new_api_token", None),
        "ttl_days": settings.API_TOKEN_TTL_DAYS,
    }
    return render(request, "accounts/token_list.html", context)


@require_POST
@login_required
def token_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        context = {
            "tokens": selectors.tokens_of(user=request.user),
            "form": form,
            "ttl_days": settings.API_TOKEN_TTL_DAYS,
        }
        return render(request, "accounts/token_list.html", context, status=400)
    _token, key = services.token_create(user=request.user, name=form.cleaned_data["name"])
    request.session["new_api_token"] = key  # shown once, on the next page
    return redirect("accounts:tokens")


@require_http_methods(["GET", "POST"])
@login_required
def token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    """GET asks for confirmation (the tokens page links here), POST revokes."""
    if request.method == "GET":
        token = selectors.tokens_of(user=request.user).filter(pk=token_id).first()
        if token is None:
            raise Http404
        context = {
            "title": _("Revoke a token"),
            "question": _("Revoke the token “%(name)s”?") % {"name": token.name},
            "consequences": [
                _(
                    "Programs that use it are refused from now on. This cannot be undone: create a new token if needed."
                )
            ],
            "action_label": _("Revoke the token"),
            "cancel_url": reverse("accounts:tokens"),
            "cancel_label": _("Keep it"),
        }
        return render(request, "portal/confirm.html", context)
    if not services.token_revoke(user=request.user, token_id=token_id):
        raise Http404
    messages.success(request, _("Token revoked: it no longer works."))
    return redirect("accounts:tokens")
