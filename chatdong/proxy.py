"""The client's address behind a TLS proxy: one rule for the access log, django-axes and the
public report limit.

X-Forwarded-For is written by whoever sends the request, so it is believed only as far as
it was appended by proxies we run (settings.TRUSTED_PROXIES, a list of addresses or CIDR
networks). Walking it from the right, each hop is skipped while it is one of ours; the first
address that is not is the client. With no trusted proxy configured the header is ignored
and REMOTE_ADDR is the client, so a forged header changes nothing.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy.strip()) for proxy in proxies if proxy.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str | None:
    """The client's IP address as a string, or None without a request or a valid address."""
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    if remote is None:
        return None
    networks = trusted_networks()
    if not networks or not _trusted(remote, networks):
        return str(remote)
    nearest = remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Our proxies append valid addresses only: anything else came from the client,
            # so the last hop we trust is as far as we know.
            break
        nearest = address
        if not _trusted(address, networks):
            break
    return str(nearest)
