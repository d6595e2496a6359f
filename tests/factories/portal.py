import factory

from portal.models import ApiToken, token_hash
from tests.factories.orders import CustomerFactory


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """``ApiTokenFactory(raw="oc_test")``: the raw key is set by its hash, as the app stores it."""

    class Meta:
        model = ApiToken
        exclude = ["raw"]

    customer = factory.SubFactory(CustomerFactory)
    name = factory.Sequence(lambda n: f"ERP link {n}")
    raw = factory.Sequence(lambda n: f"oc_test_key_{n:04d}")
    key_hash = factory.LazyAttribute(lambda o: token_hash(o.raw))
    hint = factory.LazyAttribute(lambda o: o.raw[:8])
