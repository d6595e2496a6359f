"""The manager dashboard, its drill-downs and their CSV export (read-only)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from metrics import charts, kpis, selectors
from metrics.forms import DashboardFilterForm, DrillForm

PERMISSION = "metrics.view_dashboard"
PAGE_SIZE = 50
# Figures shown as cards, in order, per section of the page.
SECTIONS = [
    ("Delivery", ["perfect", "on_time_first", "on_time_current", "repromised", "otif"]),
    (
        "Perfect order: share of orders failing each component",
        [
            "failed_on_time",
            "failed_complete",
            "failed_damage",
            "failed_documentation",
            "failed_quality",
        ],
    ),
    ("Fill rate", ["fill_lines", "fill_units"]),
    (
        "Cycle time and lead-time accuracy",
        ["cycle_median", "cycle_p90", "quoted_lead", "requested_lead", "promised_by_request"],
    ),
    ("Customer voice", ["complaint_rate", "satisfaction", "survey_response", "repeat_rate"]),
    ("Process stability", ["changes_per_order", "changed_share", "change_slips"]),
    ("Proactive communication", ["proactive", "notice_days"]),
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _band(figure: kpis.Figure) -> str:
    if figure.value is None:
        return "secondary"
    if figure.value >= kpis.WORLD_CLASS_LOW:
        return "success"
    if figure.value < kpis.ALARM_LINE:
        return "danger"
    return "warning"


@require_GET
@login_required
@permission_required(PERMISSION, raise_exception=True)
def dashboard(request):
    form = DashboardFilterForm(request.GET)
    context = {"form": form, "query": _query_without(request, "page")}
    if form.is_valid():
        data = selectors.dashboard_get(filters=form.filters())
        total = data.total
        context.update(
            data=data,
            sections=[
                (
                    title,
                    [(data.figures[key], charts.sparkline(data.week_figures[key])) for key in keys],
                )
                for title, keys in SECTIONS
            ],
            perfect=data.figures["perfect"],
            perfect_band=_band(data.figures["perfect"]),
            perfect_chart=charts.line_chart(
                {
                    "Perfect order": data.week_figures["perfect"],
                    "On time (first promise)": data.week_figures["on_time_first"],
                    "OTIF": data.week_figures["otif"],
                },
                band=(kpis.WORLD_CLASS_LOW, kpis.WORLD_CLASS_HIGH),
                alarm=kpis.ALARM_LINE,
                label="Perfect order rate, on time and OTIF by week",
            ),
            cycle_chart=charts.line_chart(
                {
                    "Median": data.week_figures["cycle_median"],
                    "90th percentile": data.week_figures["cycle_p90"],
                },
                percent=False,
                label="Order cycle time by week, days",
            ),
            delta_current_chart=charts.histogram(
                total.histogram("delta_current"),
                label="Days early or late against the current promise",
            ),
            delta_first_chart=charts.histogram(
                total.histogram("delta_first"),
                label="Days early or late against the first promise",
            ),
            complaints=[
                (kind, count, count * 100 / total.n["delivered"] if total.n["delivered"] else 0)
                for kind, count in total.histogram("complaint")
            ],
            scores=[
                (score, dict(total.histogram("survey")).get(score, 0)) for score in range(1, 6)
            ],
            slips=[
                (cause, count, dict(total.histogram("slip_days")).get(cause, 0))
                for cause, count in total.histogram("slip")
            ],
            proactive_chart=charts.line_chart(
                {"Told before the promised date": data.week_figures["proactive"]},
                label="Share of late orders told in time, by week",
            ),
        )
    return render(request, "metrics/dashboard.html", context)


def _drill_context(request, key: str):
    if key not in kpis.DEFINITIONS:
        raise Http404("No such figure.")
    form = DashboardFilterForm(request.GET)
    drill = DrillForm(request.GET)
    drill.is_valid()
    return form, drill


@require_GET
@login_required
@permission_required(PERMISSION, raise_exception=True)
def drill_down(request, key: str):
    form, drill = _drill_context(request, key)
    definition = kpis.DEFINITIONS[key]
    context = {
        "form": form,
        "drill": drill,
        "key": key,
        "definition": definition,
        "columns": [header for header, _value in selectors.drill_columns(key)],
        "query": _query_without(request, "page"),
        "filters_query": _query_without(request, "page", "which", "q"),
    }
    if form.is_valid():
        orders = selectors.drill_orders(
            key=key,
            filters=form.filters(),
            which=drill.cleaned_data.get("which") or "all",
            q=drill.cleaned_data.get("q") or "",
        )
        page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
        columns = selectors.drill_columns(key)
        context.update(
            page_obj=page,
            rows=[(order, [value(order) for _h, value in columns]) for order in page],
        )
    return render(request, "metrics/drill_down.html", context)


@require_GET
@login_required
@permission_required(PERMISSION, raise_exception=True)
def drill_down_csv(request, key: str):
    form, drill = _drill_context(request, key)
    if not form.is_valid():
        return render(
            request,
            "metrics/drill_down.html",
            {"form": form, "drill": drill, "key": key, "definition": kpis.DEFINITIONS[key]},
            status=400,
        )
    orders = selectors.drill_orders(
        key=key,
        filters=form.filters(),
        which=drill.cleaned_data.get("which") or "all",
        q=drill.cleaned_data.get("q") or "",
    )
    writer = csv.writer(_Echo())
    header = [name for name, _value in selectors.drill_columns(key)]

    def lines():
        yield writer.writerow(header)
        for row in selectors.drill_rows(orders, key):
            yield writer.writerow(row)

    filters = form.filters()
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{key}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"'
    )
    return response
