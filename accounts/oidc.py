"""Single sign-on with an OpenID Connect provider (mozilla-django-oidc), off unless OIDC_ENABLED.

An account is found by the provider's subject (issuer + `sub`) once linked; at the first sign-in, by
a verified e-mail address (an existing local account), else it is created. Role and department come
from the claims named by OIDC_ROLE_CLAIM and OIDC_DEPARTMENT_CLAIM at every sign-in, or are left to
administrators when those settings are empty.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.models import OidcIdentity
from portal.models import Department, User

logger = logging.getLogger(__name__)


def _claim_text(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name) if name else None
    if isinstance(value, list):  # e.g. a groups claim: the first entry that is a role wins below
        return ",".join(str(item) for item in value)
    return str(value).strip() if value not in (None, "") else ""


def role_from_claims(claims: dict[str, Any]) -> str | None:
    """The highest portal role named in the role claim, or None when it names none."""
    named = {part.strip() for part in _claim_text(claims, settings.OIDC_ROLE_CLAIM).split(",")}
    for role in (User.Role.ADMIN, User.Role.MANAGER, User.Role.EMPLOYEE):
        if role.value in named:
            return role.value
    return None


class PortalOIDCBackend(OIDCAuthenticationBackend):
    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        self.issuer = str(payload.get("iss", ""))
        return super().get_or_create_user(access_token, id_token, payload)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        linked = User.objects.filter(
            oidc_identities__issuer=self.issuer, oidc_identities__subject=claims["sub"]
        )
        if linked.exists():
            return linked
        email = str(claims.get("email", "")).strip()
        if email and claims.get("email_verified") is True:
            return User.objects.filter(email__iexact=email)
        return User.objects.none()

    def create_user(self, claims: dict[str, Any]) -> User:
        base = (
            _claim_text(claims, settings.OIDC_USERNAME_CLAIM)
            or str(claims.get("email", "")).split("@")[0]
            or str(claims["sub"])
        )[:140]
        username, suffix = base, 1
        while User.objects.filter(username=username).exists():
            suffix += 1
            username = f"{base}-{suffix}"
        with transaction.atomic():
            user = User(
                username=username,
                email=str(claims.get("email", "")),
                first_name=str(claims.get("given_name", ""))[:150],
                last_name=str(claims.get("family_name", ""))[:150],
            )
            user.set_unusable_password()
            user.save()
            return self.update_user(user, claims)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        with transaction.atomic():
            OidcIdentity.objects.get_or_create(user=user, issuer=self.issuer, subject=str(claims["sub"]))
            role = role_from_claims(claims)
            if role is not None:
                user.role = role
                user.is_staff = user.is_superuser = role == User.Role.ADMIN
            department_name = _claim_text(claims, settings.OIDC_DEPARTMENT_CLAIM)[:100]
            if department_name:
                user.department, _created = Department.objects.get_or_create(name=department_name)
            user.save()
            if role is not None and role != User.Role.MANAGER:
                user.managed_departments.clear()  # only managers manage departments
            elif role == User.Role.MANAGER and user.department is not None:
                user.managed_departments.add(user.department)
        if not user.is_active:
            raise SuspiciousOperation("deactivated account")
        logger.info("single sign-on: %s (%s)", user.username, self.issuer)
        return user


def provider_logout_url(request: HttpRequest, id_token: str) -> str | None:
    """Where to send the browser to end the provider's session too (RP-initiated logout)."""
    if not (settings.OIDC_ENABLED and settings.OIDC_OP_LOGOUT_ENDPOINT and id_token):
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        }
    )
    return f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}"
