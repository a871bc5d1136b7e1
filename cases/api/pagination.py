"""Cursor pagination with a stable ordering per resource (first field decides the cursor)."""

from rest_framework.pagination import CursorPagination


class _Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = "한 페이지에 돌려줄 항목 수 (최대 200)"
    cursor_query_description = "이전 응답의 next/previous 링크에 든 페이지 커서"
    invalid_cursor_message = "페이지 커서가 올바르지 않습니다."
    max_page_size = 200

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        props = response["properties"]
        props["next"]["description"] = "다음 페이지 주소 (마지막 페이지면 null)"
        props["previous"]["description"] = "이전 페이지 주소 (첫 페이지면 null)"
        props["results"]["description"] = "이 페이지의 항목"
        return response


class IdCursor(_Cursor):
    ordering = ("id",)


class OccurredCursor(_Cursor):
    ordering = ("-occurred_at", "-id")


class ReceivedCursor(_Cursor):
    ordering = ("-received_at", "-id")
