"""Thin API views: scope through a selector, filter, paginate, serialize, log the read.

Writes go through the cases services (HackSoft style): a view validates its nested
InputSerializer and calls one service; it holds no business rule itself.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import generics, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cases.api.negotiation import RENDERERS, JsonOnly
from cases.api.permissions import CanWritePersonalData
from cases.api.serializers import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, VALIDATION_ERROR
from chatdong.audit.models import AccessLog
from chatdong.audit.services import log_access

LIST_ERRORS = {400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 404: NOT_FOUND}
DETAIL_ERRORS = {401: UNAUTHENTICATED, 404: NOT_FOUND}
CREATE_ERRORS = {400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN}
UPDATE_ERRORS = {400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND}


def id_param(description: str) -> list[OpenApiParameter]:
    return [OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description=description)]


class ScopedApi(generics.GenericAPIView):
    """Base: token first (so a missing credential answers 401), then the browser session."""

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    renderer_classes = RENDERERS
    content_negotiation_class = JsonOnly
    # Reads are scoped by the selector; writes also need a role that handles personal data.
    permission_classes = [IsAuthenticated, CanWritePersonalData]

    @staticmethod
    def selector(user):  # pragma: no cover - every subclass sets one
        raise NotImplementedError

    def get_queryset(self):
        return type(self).selector(self.request.user)

    def validated(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def created(self, obj) -> Response:
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)


class ScopedListApi(ScopedApi, generics.ListAPIView):
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        # A list of personal data is a read too: one row per request, the path keeps the filters.
        log_access(user=request.user, subject_type=AccessLog.Subject.LIST, subject_id=None)
        return response


class ScopedRetrieveApi(ScopedApi, generics.RetrieveAPIView):
    def log_read(self, request, obj) -> None:  # pragma: no cover - every subclass sets one
        raise NotImplementedError

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()  # out of scope → not in the queryset → 404
        self.log_read(request, obj)
        return Response(self.get_serializer(obj).data)
