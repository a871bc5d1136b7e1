"""The API speaks JSON only, whatever the Accept header asks for.

No browsable HTML API: personal data is not rendered into HTML forms here, and a browser
that sends `Accept: text/html` gets the same JSON (and status) as any client.
"""

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer


class JsonOnly(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type


RENDERERS = [JSONRenderer]
