"""Two planners on the same job at once, on PostgreSQL: one move wins, the other is told.

Each trial draws the board (the plan), then two planners in two threads, each with its own
database connection, drop the same planned job on different days at the same moment.
"""

import threading
from decimal import Decimal

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from scheduling import services
from scheduling.models import (
    Item,
    PlannedOperation,
    WorkOrder,
    WorkOrderOperation,
)
from scheduling.services.planning import request_replan
from tests.factories.scheduling import DemandFactory
from tests.scheduling.conftest import day

MOVE = reverse("scheduling:board_move")
TRIALS = 30
TOLD = ("moved by someone else", "no longer in the plan")
WEEKDAYS = [day(n) for n in range(1, 120) if day(n).weekday() < 5]


def run_plan():
    return services.regenerate_plan(run_id=request_replan(delay=0).pk)


def drop(client: Client, key: str, work_center: int, on, version: int, barrier, answers, i):
    try:
        barrier.wait()
        response = client.post(
            MOVE,
            {
                "operation_key": key,
                "work_center": work_center,
                "day": on.isoformat(),
                "version": version,
            },
        )
        answers[i] = (response.status_code, response.content.decode())
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_planners_moving_one_job_make_one_work_order_and_lose_no_move(plant, make_user):
    # given
    Item.objects.filter(pk=plant["sheet"].pk).update(on_hand=Decimal(100000))
    planners = [make_user("planner", username=f"planner{n}") for n in (1, 2)]
    clients = []
    for planner in planners:
        client = Client()
        client.force_login(planner)
        clients.append(client)
    duplicates, silent, both_told = 0, 0, 0
    for trial in range(TRIALS):
        reference = f"SO-{700000 + trial}/1"
        DemandFactory(reference=reference, item=plant["frame"], quantity=10, due_date=day(40))
        run = run_plan()
        cutting = PlannedOperation.objects.get(
            plan_run=run, demand_refs__contains=[reference], sequence=10
        )
        # Days of their own for each trial, so earlier trials' pins leave room on the laser.
        days = WEEKDAYS[2 * trial : 2 * trial + 2]
        answers: list = [None, None]
        barrier = threading.Barrier(2)
        # when: both planners drop it, each on a board drawn before either move
        threads = [
            threading.Thread(
                target=drop,
                args=(clients[i], cutting.key, plant["laser"].pk, days[i], 0, barrier, answers, i),
            )
            for i in (0, 1)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # then
        work_orders = [wo for wo in WorkOrder.objects.all() if reference in (wo.demand_refs or [])]
        duplicates += len(work_orders) > 1
        won = [i for i, (status, _text) in enumerate(answers) if status == 302]
        lost = [i for i, (status, text) in enumerate(answers) if status == 400]
        assert len(won) + len(lost) == 2, answers
        if len(won) == 2:
            silent += 1
            continue
        if not won:
            both_told += 1
            continue
        assert any(reason in answers[lost[0]][1] for reason in TOLD), answers[lost[0]][1]
        pinned = WorkOrderOperation.objects.get(work_order=work_orders[0], sequence=10)
        assert pinned.pin_day == days[won[0]]
    assert (duplicates, silent, both_told) == (0, 0, 0)


@pytest.mark.django_db
def test_a_board_drawn_before_a_move_cannot_undo_it(plant, make_user, client):
    # given: the planner's board shows the job unmoved; meanwhile a colleague moves it
    Item.objects.filter(pk=plant["sheet"].pk).update(on_hand=Decimal(100))
    DemandFactory(reference="SO-000020/1", item=plant["frame"], quantity=10, due_date=day(40))
    run = run_plan()
    cutting = PlannedOperation.objects.get(plan_run=run, sequence=10)
    services.move_operation(
        operation_key=cutting.key,
        work_center_id=plant["laser"].pk,
        day=day(3),
        actor=make_user("planner", username="colleague"),
        expected_version=0,
    )
    client.force_login(make_user("planner", username="late"))
    # when
    response = client.post(
        MOVE,
        {
            "operation_key": cutting.key,
            "work_center": plant["laser"].pk,
            "day": day(4).isoformat(),
            "version": 0,
        },
    )
    # then
    assert response.status_code == 400
    assert "was moved by someone else since your board was drawn; reload the board." in (
        response.content.decode()
    )
    (operation,) = WorkOrderOperation.objects.filter(sequence=10)
    assert (operation.pin_day, operation.version) == (day(3), 1)
