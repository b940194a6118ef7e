"""Connections API (admins). Credentials are write-only: no response ever carries them, except an
OpenTelemetry connection's ingest token, once, in the answer that created it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.http import AuthenticatedRequest
from portal.rest import Pagination, invalid, paginated
from usage.connectors import services
from usage.connectors.forms import clean_region
from usage.models import Connection, MappingRule, SyncRun


class ConnectionOut(serializers.ModelSerializer):
    has_credentials = serializers.BooleanField(source="has_secret", read_only=True)

    class Meta:
        model = Connection
        fields = [
            "id", "name", "kind", "base_url", "default_region", "schedule_hours", "next_sync_at",
            "synced_through", "has_credentials", "secret_set_at", "is_demo", "created_at",
        ]  # fmt: skip


class ConnectionIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=Connection.Kind.choices)
    base_url = serializers.URLField(required=False, allow_blank=True, default="")
    secret = serializers.CharField(
        required=False, allow_blank=True, default="", write_only=True, trim_whitespace=True
    )
    default_region = serializers.CharField(max_length=40)
    schedule_hours = serializers.ChoiceField(
        choices=Connection.Schedule.choices, default=Connection.Schedule.DAILY
    )

    def validate_default_region(self, value: str) -> str:
        try:
            return clean_region(value, required=True)
        except forms.ValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate_name(self, value: str) -> str:
        instance = self.context.get("instance")
        same_name = Connection.objects.filter(name=value)
        if instance is not None:
            same_name = same_name.exclude(pk=instance.pk)
        if same_name.exists():
            raise serializers.ValidationError("A connection with this name exists.")
        return value

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        instance = self.context.get("instance")
        kind = data.get("kind") or getattr(instance, "kind", None)
        if kind == Connection.Kind.LITELLM and not (
            data.get("base_url") or getattr(instance, "base_url", "")
        ):
            raise serializers.ValidationError(
                {"base_url": ["A LiteLLM connection needs the proxy's address."]}
            )
        if (
            kind != Connection.Kind.OTLP
            and not data.get("secret")
            and not getattr(instance, "secret_encrypted", "")
        ):
            raise serializers.ValidationError({"secret": ["Give the API key."]})
        return data


class SyncRunOut(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.username", default=None, read_only=True)

    class Meta:
        model = SyncRun
        fields = [
            "id", "connection", "trigger", "requested_by", "status", "start_date", "end_date", "buckets_read",
            "buckets_added", "records_written", "unattributed_buckets", "unknown_models", "error",
            "created_at", "started_at", "finished_at",
        ]  # fmt: skip


class SyncIn(serializers.Serializer):
    start_date = serializers.DateField(
        required=False, help_text="backfill from this day (default: since the last sync)"
    )
    end_date = serializers.DateField(required=False)


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = MappingRule
        fields = ["id", "field", "value", "department", "use_case", "region"]

    def validate_region(self, value: str) -> str:
        try:
            return clean_region(value, required=False)
        except forms.ValidationError as error:
            raise serializers.ValidationError(error.messages) from None


def _admin(request: AuthenticatedRequest) -> None:
    if not request.user.is_org_admin:
        raise PermissionDenied


class ConnectionListApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=ConnectionOut(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        """The usage connections (admins)."""
        _admin(request)
        connections = Connection.objects.order_by("name", "pk")
        return paginated(self, request, connections, lambda page: ConnectionOut(page, many=True).data)

    @extend_schema(
        request=ConnectionIn,
        responses={201: ConnectionOut},
        description="Create a connection. For `otlp`, the answer has `ingest_token` (shown this once only).",
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        _admin(request)
        serializer = ConnectionIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        connection, token = services.connection_create(created_by=request.user, **serializer.validated_data)
        body = ConnectionOut(connection).data
        if token:
            body["ingest_token"] = token
        return Response(body, status=201)


class ConnectionDetailApi(APIView):
    @extend_schema(responses=ConnectionOut)
    def get(self, request: AuthenticatedRequest, connection_id: int) -> Response:
        _admin(request)
        return Response(ConnectionOut(get_object_or_404(Connection, pk=connection_id)).data)

    @extend_schema(request=ConnectionIn(partial=True), responses=ConnectionOut)
    def patch(self, request: AuthenticatedRequest, connection_id: int) -> Response:
        """Change a connection; `secret` replaces the credentials (never returned)."""
        _admin(request)
        connection = get_object_or_404(Connection, pk=connection_id)
        serializer = ConnectionIn(data=request.data, partial=True, context={"instance": connection})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("kind", None)
        secret = data.pop("secret", "")
        for name, value in data.items():
            setattr(connection, name, value)
        connection.save()
        if secret and connection.kind != Connection.Kind.OTLP:
            services.connection_set_secret(connection=connection, secret=secret)
        return Response(ConnectionOut(connection).data)


class ConnectionSyncApi(APIView):
    @extend_schema(request=SyncIn, responses={202: SyncRunOut})
    def post(self, request: AuthenticatedRequest, connection_id: int) -> Response:
        """Queue a sync now, or a backfill from `start_date`."""
        _admin(request)
        connection = get_object_or_404(Connection, pk=connection_id)
        serializer = SyncIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        if connection.kind == Connection.Kind.OTLP:
            raise invalid({"kind": ["An OpenTelemetry connection receives usage; nothing to fetch."]})
        start, end = serializer.validated_data.get("start_date"), serializer.validated_data.get("end_date")
        if start and end and end < start:
            raise invalid({"end_date": ["The end is before the start."]})
        run = services.sync_request(
            connection=connection,
            trigger=SyncRun.Trigger.BACKFILL if start else SyncRun.Trigger.MANUAL,
            requested_by=request.user,
            start_date=start,
            end_date=end,
        )
        run.refresh_from_db()
        return Response(SyncRunOut(run).data, status=202)


class ConnectionRunsApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=SyncRunOut(many=True))
    def get(self, request: AuthenticatedRequest, connection_id: int) -> Response:
        """The connection's sync history, newest first."""
        _admin(request)
        connection = get_object_or_404(Connection, pk=connection_id)
        runs = connection.runs.select_related("requested_by")
        return paginated(self, request, runs, lambda page: SyncRunOut(page, many=True).data)


class ConnectionRulesApi(APIView):
    pagination_class = Pagination

    @extend_schema(responses=RuleSerializer(many=True))
    def get(self, request: AuthenticatedRequest, connection_id: int) -> Response:
        """The connection's mapping rules."""
        _admin(request)
        connection = get_object_or_404(Connection, pk=connection_id)
        return paginated(
            self, request, connection.rules.all(), lambda page: RuleSerializer(page, many=True).data
        )

    @extend_schema(request=RuleSerializer, responses={201: RuleSerializer})
    def post(self, request: AuthenticatedRequest, connection_id: int) -> Response:
        """Add a mapping rule; the connection's past usage is attributed again."""
        _admin(request)
        connection = get_object_or_404(Connection, pk=connection_id)
        serializer = RuleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if MappingRule.objects.filter(
            connection=connection, field=data["field"], value=data["value"]
        ).exists():
            raise invalid({"value": ["A rule already maps this value."]})
        rule = services.rule_create(connection=connection, **data)
        return Response(RuleSerializer(rule).data, status=201)
