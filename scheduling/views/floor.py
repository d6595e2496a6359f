"""Shop floor pages: pick a work center, see today's queue, start and finish operations.

Operators use a tablet: one big button per action, and a refused report says why.
"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from core import clock
from scheduling import services
from scheduling.forms_floor import FinishForm
from scheduling.models import WorkCenter, WorkOrderOperation
from scheduling.selectors import floor
from scheduling.services import SchedulingError
from scheduling.views.mrp import quantity_text

ACTIONS = ("start", "finish")


def render_queue(request, work_center: WorkCenter, *, failed: FinishForm | None = None, status=200):
    """The queue page; ``failed`` is a finish form to show again with its errors."""
    operations = floor.floor_queue(work_center=work_center)
    for op in operations:
        if failed is not None and failed.operation_id == op.pk:
            op.finish_form = failed
        elif op.running:
            op.finish_form = FinishForm(operation_id=op.pk)
    return render(
        request,
        "scheduling/floor_queue.html",
        {
            "work_center": work_center,
            "operations": operations,
            "today": clock.today(),
            "failed": failed,
        },
        status=status,
    )


class FloorIndexView(PermissionRequiredMixin, TemplateView):
    permission_required = "scheduling.report_progress"
    template_name = "scheduling/floor_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(work_centers=floor.work_center_cards(), today=clock.today())
        return context


class FloorQueueView(PermissionRequiredMixin, View):
    permission_required = "scheduling.report_progress"
    http_method_names = ["get"]

    def get(self, request, work_center_id: int):
        return render_queue(request, get_object_or_404(WorkCenter, pk=work_center_id))


class OperationReportView(PermissionRequiredMixin, View):
    """Start an operation, or finish it with good and scrapped quantities."""

    permission_required = "scheduling.report_progress"
    http_method_names = ["post"]

    def post(self, request, pk: int, action: str):
        if action not in ACTIONS:
            raise Http404
        operation = get_object_or_404(
            WorkOrderOperation.objects.select_related("work_order", "work_center"), pk=pk
        )
        quantities = {}
        if action == "finish":
            form = FinishForm(request.POST, operation_id=pk)
            if not form.is_valid():
                # Keyboard users land on the field to correct.
                first_error = next((name for name in form.fields if name in form.errors), None)
                if first_error:
                    form.fields[first_error].widget.attrs["autofocus"] = True
                form.operation = operation
                return render_queue(request, operation.work_center, failed=form, status=400)
            quantities = {
                "good_quantity": form.cleaned_data["good_quantity"],
                "scrap_quantity": form.cleaned_data["scrap_quantity"],
            }
        try:
            services.report_progress(
                operation_id=pk, actor=request.user, action=action, **quantities
            )
        except SchedulingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.done_message(operation, action, quantities))
        return redirect("scheduling:floor_queue", work_center_id=operation.work_center_id)

    @staticmethod
    def done_message(operation: WorkOrderOperation, action: str, quantities: dict) -> str:
        what = f"operation {operation.sequence} of {operation.work_order.number}"
        if action == "start":
            return f"Started {what}."
        return (
            f"Finished {what}: {quantity_text(quantities['good_quantity'])} good, "
            f"{quantity_text(quantities['scrap_quantity'])} scrapped."
        )


floor_index_view = FloorIndexView.as_view()
floor_queue_view = FloorQueueView.as_view()
operation_report_view = OperationReportView.as_view()
