"""The OpenAPI schema documents the errors DRF answers on its own, not only the successes."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import permissions, serializers


class ErrorSerializer(serializers.Serializer):
    """DRF's answer to a refused request: 401, 403, 404, 405, 415, 429."""

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

    def _challenges(self) -> bool:
        """Whether an anonymous request here is 401: the first authenticator has a challenge."""
        authenticators = self.view.get_authenticators()
        return bool(authenticators) and bool(authenticators[0].authenticate_header(None))

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
        if not open_to_all:
            # DRF answers 401 when the first authenticator offers a challenge, else 403.
            code = "401" if self._challenges() else "403"
            errors[code] = (ErrorSerializer, "Not signed in.")
        if unsafe:
            # A signed-in session without its CSRF token.
            words = "Not signed in, or no CSRF token." if "403" in errors else "No CSRF token."
            errors["403"] = (ErrorSerializer, words)
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            errors["404"] = (ErrorSerializer, "No such object, or no such page.")
        if self.view.get_throttles():
            errors["429"] = (ErrorSerializer, "Too many requests; see Retry-After.")
        return errors
