"""The API's page numbers: exactly what the schema says, an integer from 1."""

from rest_framework import pagination
from rest_framework.exceptions import NotFound


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's, without its two exceptions to "page is an integer": `page=` (read as 1)
    and `page=last`. Both are refused with 404 like `page=abc`, so the schema's
    `integer` is the whole truth."""

    last_page_strings = ()

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise NotFound(self.invalid_page_message.format(page_number="", message=""))
        return super().get_page_number(request, paginator)
