"""The planner's capacity board and plan runs. Thin: parse, call one selector or service, render."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST

from core import clock
from scheduling import services
from scheduling.forms import MoveForm, RunFilterForm
from scheduling.models import PlanRunStatus, PlanTrigger, WorkOrderOperation
from scheduling.selectors import active_run
from scheduling.selectors.board import board, board_operation, plan_run_get, plan_run_list
from scheduling.services import SchedulingError, unpin_operation

VIEW_PLAN = "scheduling.view_planrun"
CHANGE_PLAN = "scheduling.run_plan"
MIN_WEEKS, MAX_WEEKS, DEFAULT_WEEKS = 2, 6, 2
GRID = "scheduling/partials/board_grid.html"


def allowed(permission: str):
    """Anonymous users go to the login page; logged-in users without ``permission`` get 403."""

    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


def _period(params) -> tuple[date, int]:
    try:
        start = date.fromisoformat(params.get("start") or "")
    except ValueError:
        start = clock.today()
    try:
        weeks = int(params.get("weeks") or DEFAULT_WEEKS)
    except ValueError:
        weeks = DEFAULT_WEEKS
    return start, min(max(weeks, MIN_WEEKS), MAX_WEEKS)


def _board_url(start: date, weeks: int) -> str:
    query = urlencode({"start": start.isoformat(), "weeks": weeks})
    return f"{reverse('scheduling:board')}?{query}"


def _next_url(request, default: str) -> str:
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def _board_context(start: date, weeks: int, **extra) -> dict:
    period = timedelta(weeks=weeks)
    return {
        "board": board(start=start, days=weeks * 7),
        "active_run": active_run(),
        "start": start,
        "end": start + period - timedelta(days=1),
        "weeks": weeks,
        "week_choices": range(MIN_WEEKS, MAX_WEEKS + 1),
        "previous_start": start - period,
        "next_start": start + period,
        "today": clock.today(),
        "board_url": _board_url(start, weeks),
        **extra,
    }


def _partial_wanted(request) -> bool:
    return bool(request.htmx) and not request.htmx.boosted


@allowed(VIEW_PLAN)
@require_GET
def board_view(request):
    start, weeks = _period(request.GET)
    template = GRID if _partial_wanted(request) else "scheduling/board.html"
    return render(request, template, _board_context(start, weeks))


def _form_problems(form: MoveForm) -> str:
    problems = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        problems.extend(f"{label}: {error}" if label else error for error in errors)
    return " ".join(problems)


def _move_refused(request, form: MoveForm, start: date, weeks: int, text: str):
    """The board as it was, the reason in plain words, and (keyboard) the form as entered."""
    context = _board_context(start, weeks, alert={"level": "danger", "text": text})
    if request.htmx:
        # A refused drop: the card is back in its cell and the alert says why.
        return render(request, GRID, context, status=400)
    job = context["board"].job(form.data.get("operation_key", ""))
    if job is not None:
        form.limit_work_centers(job.alternatives)
    context["failed"] = {"key": job.key if job else None, "form": form}
    return render(request, "scheduling/board.html", context, status=400)


def _moved_text(operation: WorkOrderOperation, placed, day: date) -> str:
    refs = operation.work_order.demand_refs
    orders = ", ".join(dict.fromkeys(ref.split("/", 1)[0] for ref in refs))
    what = (operation.description or (placed.work_center.name if placed else "")).lower()
    where = ""
    if placed is not None and placed.work_center_id != operation.work_center_id:
        where = f" on {operation.work_center.name}"
    label = " ".join(part for part in (orders or operation.work_order.number, what) if part)
    return f"{label} moved to {day:%a %-d %b}{where} and pinned; re-planning…"


@allowed(CHANGE_PLAN)
@require_POST
def move_view(request):
    start, weeks = _period(request.POST)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _move_refused(request, form, start, weeks, _form_problems(form))
    data = form.cleaned_data
    placed = board_operation(key=data["operation_key"])
    try:
        operation = services.move_operation(
            operation_key=data["operation_key"],
            work_center_id=data["work_center"].pk,
            day=data["day"],
            actor=request.user,
            expected_version=data["version"],
        )
    except SchedulingError as error:
        form.add_error(None, error.message)
        return _move_refused(request, form, start, weeks, error.message)
    text = _moved_text(operation, placed, data["day"])
    if not request.htmx:
        messages.success(request, text)
        return redirect(_board_url(start, weeks))
    response = render(
        request, GRID, _board_context(start, weeks, alert={"level": "success", "text": text})
    )
    # The progress bar above the board starts following the run this move asked for.
    response["HX-Trigger"] = "plan-requested"
    return response


@allowed(CHANGE_PLAN)
@require_POST
def unpin_view(request, pk: int):
    version = request.POST.get("version", "")
    try:
        operation = unpin_operation(
            operation_id=pk,
            actor=request.user,
            expected_version=int(version) if version.isdigit() else None,
        )
    except WorkOrderOperation.DoesNotExist as exc:
        raise Http404 from exc
    except SchedulingError as error:
        messages.error(request, error.message)
        return redirect(_next_url(request, reverse("scheduling:board")))
    messages.success(request, f"{operation.key} is no longer pinned; re-planning…")
    return redirect(_next_url(request, reverse("scheduling:board")))


@allowed(CHANGE_PLAN)
@require_POST
def run_start_view(request):
    waiting = active_run()
    services.request_replan(trigger=PlanTrigger.MANUAL, actor=request.user, delay=0)
    if waiting is not None and waiting.status == PlanRunStatus.PENDING:
        text = "A plan run is already waiting to start; the board refreshes when it is done."
    else:
        text = "Plan run requested; the board refreshes when it is done."
    messages.success(request, text)
    return redirect(_next_url(request, reverse("scheduling:board")))


@allowed(VIEW_PLAN)
@require_GET
def run_progress_view(request):
    """The active run's progress; polled while a run works, then tells the board to refresh."""
    watching = request.GET.get("watching", "")
    watched = plan_run_get(run_id=int(watching)) if watching.isdigit() else None
    finished = watched if watched is not None and not watched.is_active else None
    response = render(
        request,
        "scheduling/partials/run_progress.html",
        {"run": active_run(), "finished": finished},
    )
    if finished is not None and finished.status == PlanRunStatus.DONE:
        response["HX-Trigger"] = "plan-updated"
    return response


def _duration(milliseconds: int | None) -> str:
    if milliseconds is None:
        return "—"
    if milliseconds < 60_000:
        return f"{milliseconds / 1000:.1f} s"
    minutes, seconds = divmod(round(milliseconds / 1000), 60)
    return f"{minutes} min {seconds} s"


@allowed(VIEW_PLAN)
@require_GET
def run_list_view(request):
    form = RunFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else None
    page = Paginator(plan_run_list(status=status), 25).get_page(request.GET.get("page"))
    for run in page:
        run.duration_text = _duration(run.duration_ms)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "scheduling/run_list.html",
        {"form": form, "page_obj": page, "querystring": query.urlencode()},
    )
