"""Background work of payments: following up a WeChat Pay refund until it settles
(`services/wechatpay_refunds.py`). The task re-reads the refund, so a refund settled
meanwhile (its notification came) is left alone; running it twice or late is harmless."""

from django_tasks import task

from dingdan.payments.services import wechatpay_refunds


@task()
def follow_up_wechat_pay_refund(refund_id: int, round_: int) -> str:
    refund = wechatpay_refunds.follow_up_refund(refund_id=refund_id, round_=round_)
    return "" if refund is None else refund.status
