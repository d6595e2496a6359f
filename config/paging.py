"""Paging for every list: a page whose previous/next links keep the search and filters."""

from django.core.paginator import Page, Paginator


def with_page_links(request, page: Page, param: str = "page") -> Page:
    """Previous/next links that keep the search and the other lists' pages."""
    for name, exists, number in (
        ("previous_url", page.has_previous, page.number - 1),
        ("next_url", page.has_next, page.number + 1),
    ):
        query = request.GET.copy()
        query[param] = number
        setattr(page, name, f"?{query.urlencode()}" if exists() else "")
    return page


def paged(request, rows, *, param: str = "page", per_page: int = 25) -> Page:
    """The requested page of ``rows`` (``?page=2``, or ``param`` for one of several lists)."""
    page = Paginator(rows, per_page).get_page(request.GET.get(param))
    return with_page_links(request, page, param)
