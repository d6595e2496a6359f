"""Credit holds, deposits and clarifications, posted from the order page."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect

from orders import services
from orders.errors import OrderError
from orders.models import Clarification
from orders.views import OrderDetailView


class OrderActionView(OrderDetailView):
    """POST only: run one order action; on refusal show the page with the error and input."""

    http_method_names = ["post"]
    action = ""

    def perform(self, request, pk: int, **kwargs) -> str:
        """Do the action; return the success message (each subclass defines it)."""
        return ""

    def post(self, request, pk: int, **kwargs):
        try:
            done = self.perform(request, pk, **kwargs)
        except OrderError as error:
            self.object = self.get_object()
            failed = {"action": self.action, "error": error.message, "data": request.POST}
            return self.render_to_response(self.get_context_data(failed=failed), status=400)
        messages.success(request, done)
        return redirect("orders:detail", pk=pk)


class CreditReleaseView(OrderActionView):
    permission_required = "orders.release_credit_hold"
    action = "credit_release"

    def perform(self, request, pk: int) -> str:
        order = services.order_credit_release(
            order_id=pk, actor=request.user, note=request.POST.get("note", "")
        )
        return f"Credit released: {order.number} is {order.get_status_display().lower()}."


class DepositRecordView(OrderActionView):
    permission_required = "orders.record_deposit"
    action = "deposit"

    def perform(self, request, pk: int) -> str:
        try:
            amount = Decimal(request.POST.get("amount", "").replace(",", "").strip())
        except InvalidOperation as exc:
            raise OrderError("Enter the amount received, e.g. 2500.00.") from exc
        deposit = services.deposit_record(
            order_id=pk,
            actor=request.user,
            amount=amount,
            reference=request.POST.get("reference", "").strip()[:60],
        )
        return f"Deposit of {deposit.amount:,.2f} recorded."


class ClarificationOpenView(OrderActionView):
    permission_required = "orders.change_salesorder"
    action = "clarification_open"

    def perform(self, request, pk: int) -> str:
        services.clarification_open(
            order_id=pk,
            actor=request.user,
            question=request.POST.get("question", ""),
            asked_of=request.POST.get("asked_of", ""),
        )
        return "Question recorded; the order waits for the answer."


class ClarificationAnswerView(OrderActionView):
    permission_required = "orders.change_salesorder"
    action = "clarification_answer"

    def perform(self, request, pk: int, clarification_id: int) -> str:
        if not Clarification.objects.filter(pk=clarification_id, order_id=pk).exists():
            raise OrderError("That question belongs to another order.")
        services.clarification_answer(
            clarification_id=clarification_id,
            actor=request.user,
            answer=request.POST.get("answer", ""),
        )
        return "Answer recorded."


class RepromiseView(OrderActionView):
    """Sales moves the promised date, with the reason and whether the customer was told."""

    permission_required = "orders.acknowledge_salesorder"
    action = "repromise"

    def perform(self, request, pk: int) -> str:
        try:
            new_date = dt.date.fromisoformat(request.POST.get("new_date", ""))
        except ValueError as exc:
            raise OrderError("Enter the new promised date.") from exc
        order = services.order_repromise(
            order_id=pk,
            actor=request.user,
            new_date=new_date,
            reason=request.POST.get("reason", ""),
            customer_told=request.POST.get("customer_told") == "on",
        )
        return f"{order.number}: promised date moved to {order.promised_date:%a %-d %b %Y}."
