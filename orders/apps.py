from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = "Customer orders"

    def ready(self) -> None:
        from orders import receivers  # noqa: F401  (connects the plan_changed receiver)
