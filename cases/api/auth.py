"""Token authentication for API clients: obtain (axes-throttled) and revoke a token."""

from django.contrib.auth import authenticate
from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.negotiation import RENDERERS, JsonOnly
from cases.api.serializers import ErrorSerializer, ValidationErrorSerializer
from chatdong.accounts.roles import Role


@transaction.atomic
def token_issue(*, user) -> Token:
    """One token per user; asking again returns the same token until it is revoked."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def token_revoke(*, user) -> None:
    Token.objects.filter(user=user).delete()


class TokenApi(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    renderer_classes = RENDERERS
    content_negotiation_class = JsonOnly

    @extend_schema_serializer(component_name="TokenRequest")
    class InputSerializer(serializers.Serializer):
        username = serializers.CharField(max_length=150, help_text="직원 아이디")
        password = serializers.CharField(
            max_length=128, write_only=True, style={"input_type": "password"}, help_text="비밀번호"
        )

    @extend_schema_serializer(component_name="Token")
    class OutputSerializer(serializers.Serializer):
        token = serializers.CharField(help_text="Authorization 헤더에 'Token <값>' 형식으로 보내는 인증 토큰")
        user_id = serializers.IntegerField(help_text="토큰 소유 직원 ID")
        role = serializers.ChoiceField(choices=Role.choices, help_text="토큰 소유 직원의 역할")

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    def get_authenticators(self):
        # Obtaining a token must not depend on (or be blocked by CSRF of) a session.
        return [] if self.request is not None and self.request.method == "POST" else super().get_authenticators()

    @extend_schema(
        operation_id="auth_token_create",
        tags=["인증"],
        summary="인증 토큰 발급",
        description="아이디와 비밀번호로 API 토큰을 발급합니다. 로그인 실패가 반복되면 계정이 잠깁니다(django-axes).",
        request=InputSerializer,
        auth=[],
        responses={
            200: OutputSerializer,
            400: OpenApiResponse(ValidationErrorSerializer, description="입력 오류 또는 잘못된 아이디·비밀번호"),
            429: OpenApiResponse(ErrorSerializer, description="로그인 실패가 반복되어 잠김"),
        },
    )
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The DRF request goes to axes: it reads IP and credentials and flags a lockout on it.
        user = authenticate(
            request=request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None:
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"detail": "로그인 실패가 반복되어 계정이 잠겼습니다. 1시간 후 다시 시도하거나 관리자에게 문의해 주세요."},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            return Response(
                {"non_field_errors": ["아이디 또는 비밀번호가 올바르지 않습니다."]}, status=status.HTTP_400_BAD_REQUEST
            )
        token = token_issue(user=user)
        return Response(self.OutputSerializer({"token": token.key, "user_id": user.pk, "role": user.role}).data)

    @extend_schema(
        operation_id="auth_token_destroy",
        tags=["인증"],
        summary="인증 토큰 폐기",
        description="현재 직원의 API 토큰을 폐기합니다. 이후 그 토큰으로는 인증되지 않습니다.",
        request=None,
        responses={204: None, 401: ErrorSerializer},
    )
    def delete(self, request):
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
