"""Change requests: the request form, the impact page (polled while analysing), decisions.

Thin: parse what was typed, call one service, show a refusal beside its field.
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from orders import selectors, services
from orders.errors import OrderError
from orders.models import AddressKind, ChangeRequest, ChangeRequestStatus, SalesOrder
from orders.services.changes import ChangeRequestError

NEW_TEMPLATE = "orders/changes/new.html"
DETAIL_TEMPLATE = "orders/changes/detail.html"
IMPACT_TEMPLATE = "orders/changes/_impact.html"
DIMENSION_PARTS = (("nominal", "Nominal"), ("tol_plus", "+ tol"), ("tol_minus", "- tol"))


def _date(raw: str, errors: dict, field: str) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[field] = "Enter a date such as 2027-01-15."
        return None


def _number(raw: str):
    """A spec number as the entry form stores it (int when whole), or the text if not one."""
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return raw
    if not value.is_finite():
        return raw
    return int(value) if value == value.to_integral_value() else float(value)


def _spec_rows(line, data=None, errors=None) -> list[dict]:
    """The inputs of a line's spec template, filled from what was typed or the line."""
    rows = []
    for field in line.product.spec_template or []:
        key, kind = field["key"], field.get("type", "text")
        current = (line.specs or {}).get(key)
        name = f"specs_{line.line_no}_{key}"
        row = {"key": key, "label": field.get("label", key), "type": kind, "name": name}
        row["unit"], row["choices"] = field.get("unit", ""), field.get("choices", [])
        if kind == "dimension":
            current = current if isinstance(current, dict) else {}
            row["parts"] = [
                {
                    "name": f"{name}_{part}",
                    "label": label,
                    "value": data.get(f"{name}_{part}", "")
                    if data is not None
                    else ("" if current.get(part) is None else current.get(part)),
                }
                for part, label in DIMENSION_PARTS
            ]
        else:
            row["value"] = data.get(name, "") if data is not None else (current or "")
        rows.append(row)
    return rows


def _posted_specs(line, data) -> dict | None:
    """The line's specs as posted, or None when the form has no spec inputs for it."""
    template = line.product.spec_template or []
    if not template or f"specs_{line.line_no}_present" not in data:
        return None
    specs = {}
    for field in template:
        name = f"specs_{line.line_no}_{field['key']}"
        if field.get("type") == "dimension":
            parts = {
                part: _number(data.get(f"{name}_{part}", "").strip())
                for part, _label in DIMENSION_PARTS
                if data.get(f"{name}_{part}", "").strip()
            }
            if parts:
                specs[field["key"]] = parts
        elif value := data.get(name, "").strip():
            specs[field["key"]] = value
    return specs


def _form_context(order: SalesOrder, data=None, errors=None) -> dict:
    errors = errors or {}
    lines = []
    for line in order.lines.all():
        lines.append(
            {
                "line": line,
                "quantity": data.get(f"quantity_{line.line_no}", "") if data is not None else "",
                "error": errors.get(f"quantity_{line.line_no}", ""),
                "specs": _spec_rows(line, data),
                "specs_error": errors.get(f"specs_{line.line_no}", ""),
            }
        )
    addresses = order.customer.addresses.filter(kind=AddressKind.SHIP_TO)
    return {
        "order": order,
        "lines": lines,
        "addresses": addresses,
        "data": data or {},
        "errors": errors,
        "form_error": errors.get("__all__", ""),
    }


@login_required
@permission_required("orders.add_changerequest", raise_exception=True)
def change_request_new_view(request, pk: int):
    """GET: the form. POST: record the request and go to its impact page."""
    order = selectors.order_get(order_id=pk)
    if request.method != "POST":
        context = _form_context(order)
        if not order.change_requests.allowed():
            context["form_error"] = (
                f"{order.number} cannot take a change now: it is "
                f"{order.get_status_display().lower()}, or a request waits for a decision."
            )
        return render(request, NEW_TEMPLATE, context)
    data = request.POST
    errors: dict[str, str] = {}
    new_date = _date(data.get("new_date", ""), errors, "new_date")
    quantities = {
        line.line_no: data.get(f"quantity_{line.line_no}", "").strip()
        for line in order.lines.all()
        if data.get(f"quantity_{line.line_no}", "").strip()
    }
    specs = {}
    for line in order.lines.all():
        posted = _posted_specs(line, data)
        if posted is not None and posted != (line.specs or {}):
            specs[line.line_no] = posted
    ship_to = data.get("ship_to", "").strip()
    try:
        if errors:
            raise ChangeRequestError(errors)
        change_request = services.change_request_create(
            order_id=order.pk,
            actor=request.user,
            reason=data.get("reason", ""),
            quantities=quantities,
            new_date=new_date,
            specs=specs,
            ship_to_id=int(ship_to) if ship_to.isdigit() else None,
        )
    except ChangeRequestError as error:
        return render(request, NEW_TEMPLATE, _form_context(order, data, error.errors), status=400)
    except OrderError as error:
        context = _form_context(order, data, {"__all__": error.message})
        return render(request, NEW_TEMPLATE, context, status=400)
    messages.success(
        request, f"Change request #{change_request.pk} recorded; analysing its impact."
    )
    return redirect(
        "orders:change_request_detail", pk=order.pk, change_request_id=change_request.pk
    )


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) and value else value


def _presented(impact: dict) -> dict:
    """The stored impact with its dates as dates, for the template's date filter."""
    if not impact:
        return {}
    quote = {key: _as_date(value) for key, value in impact.get("quote", {}).items()}
    moves = [
        {**move, **{k: _as_date(move.get(k)) for k in ("from", "to", "promised")}}
        for move in impact.get("moves", [])
    ]
    for move in moves:
        move["to_date"] = move.pop("to")
        move["from_date"] = move.pop("from")
    lines = [
        {**row, **{k: _as_date(row.get(k)) for k in ("old_delivery", "new_delivery")}}
        for row in impact.get("lines", [])
    ]
    difference = Decimal(impact.get("price", {}).get("difference", "0"))
    return {**impact, "quote": quote, "moves": moves, "lines": lines, "difference": difference}


def _change_request(pk: int, change_request_id: int) -> ChangeRequest:
    return get_object_or_404(
        ChangeRequest.objects.select_related(
            "order",
            "order__customer",
            "order__ship_to",
            "requested_by",
            "decided_by",
            "ship_to",
            "revision",
        ),
        pk=change_request_id,
        order_id=pk,
    )


def _detail_context(request, change_request: ChangeRequest, failed=None) -> dict:
    impact = _presented(change_request.impact)
    suggested = impact.get("quote", {}).get("suggested_promise") if impact else None
    order = change_request.order
    return {
        "order": order,
        "change_request": change_request,
        "impact": impact,
        "can_decide": request.user.has_perm("orders.decide_changerequest"),
        "can_reanalyse": change_request.status
        in (ChangeRequestStatus.READY, ChangeRequestStatus.FAILED)
        and (
            request.user.has_perm("orders.add_changerequest")
            or request.user.has_perm("orders.decide_changerequest")
        ),
        "promised_default": (failed or {}).get("data", {}).get("promised_date")
        or (suggested or order.promised_date or ""),
        "failed": failed,
        "analysing": change_request.status == ChangeRequestStatus.ANALYSING,
    }


@login_required
@permission_required("orders.view_changerequest", raise_exception=True)
def change_request_detail_view(request, pk: int, change_request_id: int):
    """The request and its impact; htmx polls the impact block while it is analysed."""
    change_request = _change_request(pk, change_request_id)
    context = _detail_context(request, change_request)
    if request.htmx and not request.htmx.boosted:
        # The header's status badge follows the block it polls (out of band).
        return render(request, IMPACT_TEMPLATE, {**context, "oob": True})
    return render(request, DETAIL_TEMPLATE, context)


def _decision(request, pk: int, change_request_id: int, action: str, perform):
    change_request = _change_request(pk, change_request_id)
    try:
        done = perform(change_request)
    except OrderError as error:
        change_request = _change_request(pk, change_request_id)
        failed = {"action": action, "error": error.message, "data": request.POST}
        if isinstance(error, ChangeRequestError):
            failed["errors"] = error.errors
        context = _detail_context(request, change_request, failed)
        return render(request, DETAIL_TEMPLATE, context, status=400)
    messages.success(request, done)
    return redirect("orders:change_request_detail", pk=pk, change_request_id=change_request_id)


@login_required
@permission_required("orders.decide_changerequest", raise_exception=True)
@require_POST
def change_request_accept_view(request, pk: int, change_request_id: int):
    def perform(change_request: ChangeRequest) -> str:
        errors: dict[str, str] = {}
        promised = _date(request.POST.get("promised_date", ""), errors, "promised_date")
        if errors:
            raise ChangeRequestError(errors)
        accepted = services.change_request_accept(
            change_request_id=change_request.pk,
            actor=request.user,
            promised_date=promised,
            note=request.POST.get("note", ""),
        )
        return (
            f"Change request #{accepted.pk} accepted: {accepted.order.number} is now at "
            f"revision {accepted.revision.number}; the customer gets a revised acknowledgment."
        )

    return _decision(request, pk, change_request_id, "accept", perform)


@login_required
@permission_required("orders.decide_changerequest", raise_exception=True)
@require_POST
def change_request_reject_view(request, pk: int, change_request_id: int):
    def perform(change_request: ChangeRequest) -> str:
        services.change_request_reject(
            change_request_id=change_request.pk,
            actor=request.user,
            note=request.POST.get("note", ""),
        )
        return f"Change request #{change_request.pk} rejected; the order stays as it was."

    return _decision(request, pk, change_request_id, "reject", perform)


@login_required
@permission_required("orders.add_changerequest", raise_exception=True)
@require_POST
def change_request_reanalyse_view(request, pk: int, change_request_id: int):
    def perform(change_request: ChangeRequest) -> str:
        services.change_request_reanalyse(change_request_id=change_request.pk, actor=request.user)
        return "Analysing the impact again against today's plan."

    return _decision(request, pk, change_request_id, "reanalyse", perform)
