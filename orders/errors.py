"""Domain errors that views turn into messages beside the form or at the top of the page."""


class OrderError(Exception):
    """Base of everything a user can cause and must be told about in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class OrderChangedError(OrderError):
    def __init__(self) -> None:
        super().__init__("This order was changed by someone else; reload it and try again.")


class OrderTransitionError(OrderError):
    def __init__(self, *, order, transition: str) -> None:
        label = transition.replace("_", " ")
        super().__init__(
            f"{order.number} cannot {label} while it is {order.get_status_display().lower()}."
        )
        self.transition = transition
