"""`{% entry_points "household" household %}`: the buttons sibling apps registered for a page
of the households part (`cases.entry_points`)."""

from django import template

from cases.entry_points import entry_links

register = template.Library()


@register.inclusion_tag("cases/_entry_points.html", takes_context=True)
def entry_points(context, page: str, obj):
    return {"links": entry_links(page, user=context["user"], obj=obj)}
