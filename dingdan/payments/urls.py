from django.urls import path

from dingdan.payments.views import entries, order_money, reported

app_name = "payments"

urlpatterns = [
    path("", entries.entry_list, name="list"),
    path("export.csv", entries.export_csv, name="export_csv"),
    path("export.xlsx", entries.export_xlsx, name="export_xlsx"),
    path("orders/<int:order_id>/payment/", order_money.record_payment, name="record_payment"),
    path("orders/<int:order_id>/refund/", order_money.record_refund, name="record_refund"),
    path("orders/<int:order_id>/reported/<int:report_id>/confirm/", reported.confirm,
         name="confirm_reported"),
    path("orders/<int:order_id>/reported/<int:report_id>/reject/", reported.reject,
         name="reject_reported"),
    path("orders/<int:order_id>/reported/<int:report_id>/screenshot/", reported.screenshot,
         name="reported_screenshot"),
    path("orders/<int:order_id>/payments/<int:payment_id>/proof/", reported.proof,
         name="proof"),
]
