"""Headers on every response: keeping personal data out of browser and proxy
caches, and switching off the browser features the site never uses."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers

# Path arguments that are secrets: an address holding one is a token link
# (approval, release, line-manager evaluation, certificate), and its page is
# about a particular person even though nobody is signed in.
TOKEN_LINK_ARGUMENTS = {"token", "code"}


class NoStoreMiddleware:
    """Pages shown to a signed-in person, and pages reached by a token link,
    carry personal data: they answer `Cache-Control: no-store, private` so no
    browser history, shared computer or proxy keeps a copy. A view that chose
    its own caching (a public picture, say) keeps its choice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        if request.user.is_authenticated or _is_token_link(request):
            add_never_cache_headers(response)
        return response


def _is_token_link(request) -> bool:
    match = request.resolver_match
    return bool(match and TOKEN_LINK_ARGUMENTS & match.kwargs.keys())


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header, so
    no page, nor any script or frame on it, can turn on the camera, the
    microphone, location and the like."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
