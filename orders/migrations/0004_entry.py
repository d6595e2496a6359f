from django.db import migrations, models


class Migration(migrations.Migration):
    """Order entry: the form's one-time token, alternative units, and two new permissions."""

    dependencies = [("orders", "0003_billing_clarifications")]

    operations = [
        migrations.AlterModelOptions(
            name="salesorder",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [
                    ("submit_salesorder", "Can submit a draft order"),
                    ("validate_salesorder", "Can validate an entered order"),
                    ("hold_salesorder", "Can put an order on hold"),
                    ("resume_salesorder", "Can resume an order from hold"),
                    ("acknowledge_salesorder", "Can acknowledge an order to the customer"),
                    ("plan_salesorder", "Can plan an order"),
                    ("release_salesorder", "Can release an order to production"),
                    ("start_salesorder", "Can start production of an order"),
                    ("complete_salesorder", "Can complete production of an order"),
                    ("inspect_pass_salesorder", "Can pass an order's final inspection"),
                    ("inspect_fail_salesorder", "Can fail an order's final inspection"),
                    ("quality_release_salesorder", "Can release an order from quality hold"),
                    ("quality_hold_salesorder", "Can put a released order back on quality hold"),
                    ("pack_salesorder", "Can pack an order"),
                    ("ship_salesorder", "Can ship an order"),
                    ("deliver_salesorder", "Can confirm delivery of an order"),
                    ("close_salesorder", "Can close a delivered order"),
                    ("cancel_salesorder", "Can cancel an order"),
                    ("release_credit_hold", "Can release an order from credit hold"),
                    ("record_deposit", "Can record a customer's deposit"),
                    (
                        "change_payment_terms",
                        "Can change an order's payment terms from the customer's default",
                    ),
                    (
                        "override_promise",
                        "Can promise a delivery date earlier than the quote, with a reason",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="product",
            name="unit_conversions",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text='Alternative units the customer may order in: {"box": "10"} is a box of 10.',
            ),
        ),
        migrations.AddField(
            model_name="salesorder",
            name="entry_token",
            field=models.UUIDField(blank=True, editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="salesorderline",
            name="entered_quantity",
            field=models.DecimalField(blank=True, decimal_places=3, max_digits=12, null=True),
        ),
        migrations.AddField(
            model_name="salesorderline",
            name="entered_unit",
            field=models.CharField(blank=True, max_length=10),
        ),
    ]
