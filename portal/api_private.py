"""The API's answers about a person (their applications, appeals, notifications)."""

from django.utils.cache import add_never_cache_headers


class PersonalDataMixin:
    """A viewset that answers with a person's data: no browser or proxy keeps a copy."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        add_never_cache_headers(response)
        return response
