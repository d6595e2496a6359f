from django import template
from django.utils.html import format_html

from core import clock
from orders import specs as order_specs
from orders.presentation import STATUS_BADGE, TRANSITION_UI

register = template.Library()


@register.simple_tag
def status_badge(order):
    colour = STATUS_BADGE.get(order.status, "secondary")
    return format_html(
        '<span class="badge text-bg-{} status-badge" data-status="{}">{}</span>',
        colour,
        order.status,
        order.get_status_display(),
    )


@register.simple_tag
def promise_mark(order):
    """Late / at-risk / on-track mark for lists: visible at a glance."""
    if order.is_late:
        return format_html(
            '<span class="badge text-bg-danger" title="{}">Late</span>',
            "Past or projected after the promised date",
        )
    slack = order.slack_days
    if (
        order.promised_date
        and order.is_open
        and ((slack is not None and slack <= 2) or (order.promised_date - clock.today()).days <= 3)
    ):
        return format_html(
            '<span class="badge text-bg-warning" title="{}">At risk</span>',
            "Little or no slack before the promised date",
        )
    return ""


@register.filter
def transition_label(name: str) -> str:
    return TRANSITION_UI.get(name, (name.replace("_", " ").capitalize(),))[0]


@register.filter
def spec_rows(line):
    return order_specs.describe(line.product.spec_template, line.specs)


@register.filter
def status_label(value: str) -> str:
    from orders.states import OrderStatus

    try:
        return OrderStatus(value).label
    except ValueError:
        return value
