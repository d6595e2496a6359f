from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Q
from django.views.generic import DetailView, ListView

from portal import selectors


class PortalMixin(PermissionRequiredMixin):
    permission_required = "orders.access_portal"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.contact = selectors.contact_for(request.user)
        return super().dispatch(request, *args, **kwargs)


class PortalOrderListView(PortalMixin, ListView):
    template_name = "portal/order_list.html"
    context_object_name = "orders"
    paginate_by = 20

    def get_queryset(self):
        orders = selectors.portal_order_list(contact=self.contact)
        query = self.request.GET.get("q", "").strip()
        if query:
            orders = orders.filter(Q(number__icontains=query) | Q(customer_po__icontains=query))
        return orders

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contact=self.contact, q=self.request.GET.get("q", ""), **kwargs
        )


class PortalOrderDetailView(PortalMixin, DetailView):
    template_name = "portal/order_detail.html"
    context_object_name = "order"

    def get_object(self, queryset=None):
        return selectors.portal_order_get(contact=self.contact, order_id=self.kwargs["pk"])
