"""Payment providers: the outside services that take a customer's money for a shop.

Plain data in, plain data out: nothing here touches a model, so the payments app decides
what is recorded and the providers only talk to the outside world.

- `base.py` — what the payments app calls (`PaymentProvider`) and what it gets back
  (`CreatedPayment`, `ProviderPayment`, `ProviderRefund`, `Notification`), and the errors.
- `secrets.py` — a provider's keys encrypted for the shop's settings, and their masked view.
- `wechatpay/` — WeChat Pay API v3, the first provider (docs/payments-wechatpay.md).
"""
