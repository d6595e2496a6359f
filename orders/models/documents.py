from django.db import models

from core import clock


class DocumentKind(models.TextChoices):
    ACKNOWLEDGMENT = "acknowledgment", "Order acknowledgment"
    PACKING_LIST = "packing_list", "Packing list"
    CERTIFICATE = "certificate", "Certificate of conformance"
    INVOICE = "invoice", "Invoice"
    COMMERCIAL_INVOICE = "commercial_invoice", "Commercial invoice"
    TEST_REPORT = "test_report", "Inspection test report"


class RequirableDocument(models.TextChoices):
    """Documents a customer may require with every shipment (beyond the packing list)."""

    CERTIFICATE = DocumentKind.CERTIFICATE.value, DocumentKind.CERTIFICATE.label
    TEST_REPORT = DocumentKind.TEST_REPORT.value, DocumentKind.TEST_REPORT.label
    INVOICE = DocumentKind.INVOICE.value, "Invoice with the goods"


def document_path(document: "Document", filename: str) -> str:
    return f"orders/{document.order.number}/{filename}"


class Document(models.Model):
    """A PDF rendered from a template and attached to an order; one per kind and revision."""

    order = models.ForeignKey(
        "orders.SalesOrder", on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    revision = models.PositiveSmallIntegerField(default=1)
    # What the document is about when not the whole order: the shipment number.
    reference = models.CharField(max_length=40, blank=True)
    file = models.FileField(upload_to=document_path)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["order", "kind", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind", "revision"], name="one_document_per_kind_and_revision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order_id} {self.get_kind_display()} rev {self.revision}"

    @property
    def filename(self) -> str:
        return f"{self.order.number}-{self.kind.replace('_', '-')}-r{self.revision}.pdf"
