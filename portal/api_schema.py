"""The OpenAPI schema documents the errors DRF answers on its own, not only the successes."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import permissions, serializers


class ErrorSerializer(serializers.Serializer):
    """DRF's answer to a refused request: 403, 404, 405, 415, 429."""

    detail = serializers.CharField()


# A ValidationError: field name -> messages (nested for lists of files), or a bare list
# of messages when the error concerns the whole request.
VALIDATION_ERROR = {
    "oneOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "string"}},
    ],
    "description": "Messages by field name, or a list of messages about the whole request.",
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema plus the error responses an operation can really give.

    Derived from the view itself (permissions, throttles, pagination, parameters, body),
    so new endpoints get them without annotations.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, (schema, description) in self._error_responses().items():
            responses.setdefault(code, self._error_response(schema, description))
        return responses

    def _error_response(self, schema, description: str) -> dict:
        if isinstance(schema, dict):
            body = schema
        else:
            body = self.resolve_serializer(schema, "response").ref
        return {"content": {"application/json": {"schema": body}}, "description": description}

    def _error_responses(self) -> dict:
        errors = {}
        unsafe = self.method in ("POST", "PUT", "PATCH", "DELETE")
        if unsafe:
            errors["400"] = (VALIDATION_ERROR, "Invalid input.")
            errors["415"] = (ErrorSerializer, "Unsupported media type.")
        open_to_all = all(
            isinstance(permission, permissions.AllowAny)
            for permission in self.view.get_permissions()
        )
        if unsafe or not open_to_all:
            # Sessions only: DRF answers 403 (not 401) without a session or a CSRF token.
            errors["403"] = (ErrorSerializer, "Not signed in, or no CSRF token.")
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            errors["404"] = (ErrorSerializer, "No such object, or no such page.")
        if self.view.get_throttles():
            errors["429"] = (ErrorSerializer, "Too many requests; see Retry-After.")
        return errors
