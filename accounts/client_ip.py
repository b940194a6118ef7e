"""The client's address, believing `X-Forwarded-*` headers only from the configured proxies.

`TRUSTED_PROXIES` (env `DJANGO_TRUSTED_PROXIES`) lists the addresses or networks of the reverse
proxies in front of the portal. A request that does not come from one of them has its
`X-Forwarded-For`, `-Proto` and `-Host` headers removed before anything reads them, so that nobody can
claim HTTPS or another address by sending a header. For a request from a trusted proxy, the client is
the right-most `X-Forwarded-For` entry that is not itself a trusted proxy.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The real client address (also django-axes' AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR", "")
    if "PROXY_ADDR" in request.META or not is_trusted_proxy(remote):
        return remote  # already resolved by TrustedProxyMiddleware, or a direct connection
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return remote  # a malformed entry: the last address we can vouch for is the proxy's
        if not is_trusted_proxy(hop):
            return hop
    return hops[0] if hops else remote
