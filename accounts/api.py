"""API tokens over the API: obtain one with a password, list yours, revoke one, rotate the one in use."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.models import ApiToken
from portal.http import AuthenticatedRequest
from portal.rest import Pagination, paginated


class TokenObtainInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(max_length=100, required=False, default="API")


class TokenOutput(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at"]


class NewTokenOutput(TokenOutput):
    token = serializers.CharField(
        help_text="The key: shown this once, send it as `Authorization: Token <key>`."
    )

    class Meta(TokenOutput.Meta):
        fields = [*TokenOutput.Meta.fields, "token"]


def _new_token_response(token: ApiToken, key: str) -> Response:
    """NewTokenOutput: the row, and its key (the one time it is shown)."""
    return Response({**TokenOutput(token).data, "token": key}, status=status.HTTP_201_CREATED)


class TokenObtainApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenObtainInput,
        responses={
            201: NewTokenOutput,
            400: OpenApiResponse(description="Wrong username or password"),
            403: OpenApiResponse(description="Password sign-in is off (single sign-on only)"),
            429: OpenApiResponse(description="Too many failed attempts for this username from this address"),
        },
    )
    def post(self, request: Request) -> Response:
        if not settings.LOCAL_PASSWORDS_ENABLED:
            raise PermissionDenied(_("Password sign-in is off: create a token on the API tokens page."))
        data = TokenObtainInput(data=request.data)
        data.is_valid(raise_exception=True)
        # Django's request, where django-axes records the attempt and flags a lockout (answered by
        # AxesMiddleware through accounts.lockout: 429).
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise ValidationError({"non_field_errors": [_("Unable to sign in with these credentials.")]})
        token, key = services.token_create(user=user, name=data.validated_data["name"])
        return _new_token_response(token, key)


class TokenListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses={200: TokenOutput(many=True)})
    def get(self, request: AuthenticatedRequest) -> Response:
        """Your API tokens, newest first (never their keys)."""
        tokens = selectors.tokens_of(user=request.user)
        return paginated(self, request, tokens, lambda page: TokenOutput(page, many=True).data)


class TokenRevokeApi(APIView):
    @extend_schema(responses={204: None, 404: OpenApiResponse(description="No such token of yours")})
    def delete(self, request: AuthenticatedRequest, token_id: int) -> Response:
        if not services.token_revoke(user=request.user, token_id=token_id):
            raise NotFound
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenRotateApi(APIView):
    @extend_schema(
        request=None,
        responses={201: NewTokenOutput, 400: OpenApiResponse(description="Not called with a token")},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        if not isinstance(request.auth, ApiToken):
            raise ValidationError(
                {
                    "non_field_errors": [
                        _("Rotate the token you call with: send it as Authorization: Token <key>.")
                    ]
                }
            )
        token, key = services.token_rotate(token=request.auth)
        return _new_token_response(token, key)
