from django.urls import path

from scheduling.views import board, floor, mrp, purchasing

app_name = "scheduling"
urlpatterns = [
    # Capacity board and plan runs (scheduling/views/board.py)
    path("", board.board_view, name="board"),
    path("board/move/", board.move_view, name="board_move"),
    path("operations/<int:pk>/unpin/", board.unpin_view, name="operation_unpin"),
    path("runs/", board.run_list_view, name="run_list"),
    path("runs/start/", board.run_start_view, name="run_start"),
    path("runs/progress/", board.run_progress_view, name="run_progress"),
    # MPS, material and work orders (scheduling/views/mrp.py)
    path("mps/", mrp.mps_view, name="mps"),
    path("planned/<int:pk>/release/", mrp.planned_release_view, name="planned_release"),
    path("shortages/", mrp.shortages_view, name="shortages"),
    path("work-orders/", mrp.work_order_list_view, name="work_order_list"),
    path("work-orders/<int:pk>/", mrp.work_order_detail_view, name="work_order_detail"),
    path("work-orders/<int:pk>/release/", mrp.work_order_release_view, name="work_order_release"),
    # Purchasing: the buyer's purchase orders (scheduling/views/purchasing.py)
    path("suggestions/<int:pk>/buy/", purchasing.suggestion_buy_view, name="suggestion_buy"),
    path("purchase-orders/", purchasing.purchase_order_list_view, name="purchase_order_list"),
    path(
        "purchase-orders/<int:pk>/",
        purchasing.purchase_order_detail_view,
        name="purchase_order_detail",
    ),
    path(
        "purchase-orders/<int:pk>/lines/<int:line_id>/<slug:action>/",
        purchasing.purchase_line_action_view,
        name="purchase_line_action",
    ),
    # Shop floor (scheduling/views/floor.py)
    path("floor/", floor.floor_index_view, name="floor"),
    path("floor/<int:work_center_id>/", floor.floor_queue_view, name="floor_queue"),
    path(
        "floor/operations/<int:pk>/<slug:action>/",
        floor.operation_report_view,
        name="operation_report",
    ),
]
