"""The claims the test provider issues: e-mail (verified), and the portal's role and department in a
`portal` scope, as an organisation's identity provider would map them from its directory."""

from typing import Any

from oidc_provider.lib.claims import ScopeClaims

# username -> (portal_role, department): the provider's "directory"
DIRECTORY = {
    "marie": ("manager", "Finance"),
    "alice.sso": ("employee", "Sales"),
    "alice.unverified": ("employee", "Sales"),
}
# whose e-mail address the provider has not verified
UNVERIFIED = {"alice.unverified"}


def userinfo(claims: dict[str, Any], user: Any) -> dict[str, Any]:
    claims["email"] = user.email
    claims["email_verified"] = user.username not in UNVERIFIED
    claims["preferred_username"] = user.username
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    return claims


class PortalScopeClaims(ScopeClaims):
    info_portal = ("Portal", "Your role and department in the portal.")

    def scope_portal(self) -> dict[str, Any]:
        role, department = DIRECTORY.get(self.user.username, ("", ""))
        return {"portal_role": role, "department": department}
