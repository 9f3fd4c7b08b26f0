"""A merchant account and a local server that answers like WeChat Pay API v3: keys and a
platform certificate generated here, requests checked against the merchant's public key,
answers signed with the platform key, notifications built signed and encrypted."""

import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from hashlib import sha256
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from dingdan.payments.providers.wechatpay import WeChatPayConfig, signing

MCHID = "1900000109"
APPID = "wxd678efh567hg6787"
MERCHANT_SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"
APIV3_KEY = "0123456789abcdefghijABCDEFGHIJ01"  # 32 characters, as the merchant platform sets


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def self_signed_certificate(key: rsa.RSAPrivateKey) -> tuple[str, str]:
    """A platform certificate like WeChat Pay's: (serial as WeChat Pay writes it, PEM)."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Tenpay.com"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Tenpay.com Root CA"),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * 5))
        .sign(key, hashes.SHA256())
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()
    return f"{certificate.serial_number:X}", pem


def signed_headers(
    key: rsa.RSAPrivateKey, serial: str, body: bytes, *, timestamp: int | None = None
) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    nonce = signing.new_nonce()
    return {
        "Wechatpay-Timestamp": str(timestamp),
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Serial": serial,
        "Wechatpay-Signature": signing.sign(key, signing.message(str(timestamp), nonce, body)),
        "Wechatpay-Signature-Type": signing.SCHEME,
    }


def transaction(out_trade_no: str, total: int, *, state: str = "SUCCESS", **extra: Any) -> dict:
    """A transaction object as WeChat Pay's docs show it."""
    data = {
        "appid": APPID,
        "mchid": MCHID,
        "out_trade_no": out_trade_no,
        "trade_type": "NATIVE",
        "trade_state": state,
        "trade_state_desc": "支付成功" if state == "SUCCESS" else "订单未支付",
        "amount": {"total": total, "currency": "CNY"},
    }
    if state in ("SUCCESS", "REFUND"):
        data |= {
            "transaction_id": "42000"
            + f"{int(sha256(out_trade_no.encode()).hexdigest(), 16)}"[:23],
            "bank_type": "CMC",
            "success_time": "2026-12-02T10:34:56+08:00",
            "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},
        }
        data["amount"] |= {"payer_total": total, "payer_currency": "CNY"}
    return data | extra


def notification(
    event_type: str,
    resource: dict,
    *,
    apiv3_key: str = APIV3_KEY,
    original_type: str = "transaction",
    notification_id: str = "EV-2018022511223320873",
) -> bytes:
    """The body of a notification request, its resource encrypted with `apiv3_key`."""
    nonce, associated_data = "fdasflkja484", original_type
    ciphertext = signing.encrypt_resource(
        apiv3_key.encode(), nonce, associated_data, json.dumps(resource).encode()
    )
    return json.dumps(
        {
            "id": notification_id,
            "create_time": "2026-12-02T10:35:00+08:00",
            "resource_type": "encrypt-resource",
            "event_type": event_type,
            "summary": "支付成功",
            "resource": {
                "original_type": original_type,
                "algorithm": "AEAD_AES_256_GCM",
                "ciphertext": ciphertext,
                "associated_data": associated_data,
                "nonce": nonce,
            },
        },
        ensure_ascii=False,
    ).encode()


AUTHORIZATION = re.compile(
    r'WECHATPAY2-SHA256-RSA2048 mchid="(?P<mchid>[^"]+)",nonce_str="(?P<nonce>[^"]+)",'
    r'signature="(?P<signature>[^"]+)",timestamp="(?P<timestamp>\d+)",serial_no="(?P<serial>[^"]+)"'
)


class FakeWeChatPay:
    """The v3 endpoints the provider calls, with WeChat Pay's checks and error answers."""

    def __init__(self, merchant_public_key, platform_key, platform_serial: str) -> None:
        self.merchant_public_key = merchant_public_key
        self.platform_key = platform_key
        self.platform_serial = platform_serial
        self.orders: dict[str, dict] = {}  # out_trade_no -> transaction
        self.refunds: dict[str, dict] = {}  # out_refund_no -> refund
        self.requests: list[dict] = []
        self.sign_answers_with = platform_key  # a test may swap in a stranger's key
        self.delay_seconds = 0.0
        self.certificates: list[tuple[str, str]] = []  # (serial, PEM) /v3/certificates lists
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.handle(self, "GET")

            def do_POST(self) -> None:
                fake.handle(self, "POST")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.server.handle_error = lambda request, address: None  # a client that gave up
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeWeChatPay":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def pay(self, out_trade_no: str) -> dict:
        """The customer pays: the order becomes a successful transaction."""
        order = self.orders[out_trade_no]
        paid = transaction(out_trade_no, order["amount"]["total"])
        self.orders[out_trade_no] = paid
        return paid

    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        self.requests.append(
            {"method": method, "path": request.path, "body": body, "headers": dict(request.headers)}
        )
        if self.delay_seconds:
            time.sleep(self.delay_seconds)
        status, answer = self.check_signature(request, method, body)
        if status == 200:
            status, answer = self.route(method, request.path, body)
        raw = b"" if answer is None else json.dumps(answer, ensure_ascii=False).encode()
        request.send_response(status)
        for name, value in signed_headers(
            self.sign_answers_with, self.platform_serial, raw
        ).items():
            request.send_header(name, value)
        request.send_header("Request-ID", "08F78BB5AF0610D302102A2E1A0000000000")
        if raw:
            request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(raw)))
        request.end_headers()
        request.wfile.write(raw)

    def check_signature(self, request, method: str, body: bytes) -> tuple[int, dict | None]:
        match = AUTHORIZATION.fullmatch(request.headers.get("Authorization") or "")
        if not match or match["mchid"] != MCHID or match["serial"] != MERCHANT_SERIAL:
            return 401, {"code": "SIGN_ERROR", "message": "Authorization 格式不正确"}
        signed = signing.message(method, request.path, match["timestamp"], match["nonce"], body)
        if not signing.is_valid_signature(self.merchant_public_key, signed, match["signature"]):
            return 401, {"code": "SIGN_ERROR", "message": "签名错误"}
        if abs(time.time() - int(match["timestamp"])) > 300:
            return 401, {"code": "SIGN_ERROR", "message": "时间戳过期"}
        return 200, None

    def route(self, method: str, target: str, body: bytes) -> tuple[int, dict | None]:
        url = urlsplit(target)
        data = json.loads(body) if body else {}
        kind = re.fullmatch(r"/v3/pay/transactions/(native|jsapi)", url.path)
        if method == "POST" and kind:
            return self.create(kind[1], data)
        found = re.fullmatch(r"/v3/pay/transactions/out-trade-no/([^/]+)(/close)?", url.path)
        if found and method == "GET":
            if parse_qs(url.query).get("mchid") != [MCHID]:
                return 400, {"code": "PARAM_ERROR", "message": "mchid 不能为空"}
            order = self.orders.get(found[1])
            if order is None:
                return 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}
            return 200, order
        if found and method == "POST" and found[2]:
            order = self.orders.get(found[1])
            if order is None:
                return 404, {"code": "ORDER_NOT_EXIST", "message": "订单不存在"}
            if order["trade_state"] == "SUCCESS":
                return 400, {"code": "ORDER_PAID", "message": "订单已支付"}
            order["trade_state"] = "CLOSED"
            return 204, None
        if method == "GET" and url.path == "/v3/certificates":
            return 200, {"data": [self.sealed_certificate(*pair) for pair in self.certificates]}
        if method == "POST" and url.path == "/v3/refund/domestic/refunds":
            return self.refund(data)
        refund = re.fullmatch(r"/v3/refund/domestic/refunds/([^/]+)", url.path)
        if method == "GET" and refund:
            if refund[1] not in self.refunds:
                return 404, {"code": "RESOURCE_NOT_EXISTS", "message": "退款单不存在"}
            return 200, self.refunds[refund[1]]
        return 404, {"code": "RESOURCE_NOT_EXISTS", "message": "资源不存在"}

    @staticmethod
    def sealed_certificate(serial: str, pem: str, apiv3_key: str = APIV3_KEY) -> dict:
        nonce, associated_data = "4de73afd28b6", "certificate"
        return {
            "serial_no": serial,
            "effective_time": "2026-01-01T00:00:00+08:00",
            "expire_time": "2031-01-01T00:00:00+08:00",
            "encrypt_certificate": {
                "algorithm": "AEAD_AES_256_GCM",
                "nonce": nonce,
                "associated_data": associated_data,
                "ciphertext": signing.encrypt_resource(
                    apiv3_key.encode(), nonce, associated_data, pem.encode()
                ),
            },
        }

    def create(self, kind: str, data: dict) -> tuple[int, dict]:
        amount = data.get("amount") or {}
        total = amount.get("total")
        if not isinstance(total, int) or total <= 0 or amount.get("currency") != "CNY":
            return 400, {
                "code": "PARAM_ERROR",
                "message": "输入源“/body/amount/total”映射到值字段“总金额”字段值不合法",
                "detail": {"location": "body", "value": total},
            }
        if data.get("mchid") != MCHID or data.get("appid") != APPID:
            return 400, {"code": "APPID_MCHID_NOT_MATCH", "message": "AppID和mch_id不匹配"}
        if kind == "jsapi" and not (data.get("payer") or {}).get("openid"):
            return 400, {"code": "PARAM_ERROR", "message": "缺少参数 payer.openid"}
        self.orders[data["out_trade_no"]] = transaction(
            data["out_trade_no"], total, state="NOTPAY", trade_type=kind.upper()
        )
        if kind == "native":
            return 200, {"code_url": "weixin://wxpay/bizpayurl?pr=p4lpSuKzz"}
        return 200, {"prepay_id": "wx201410272009395522657a690389285100"}

    def refund(self, data: dict) -> tuple[int, dict]:
        if data["out_refund_no"] in self.refunds:  # WeChat Pay: same out_refund_no, same refund
            return 200, self.refunds[data["out_refund_no"]]
        order = self.orders.get(data.get("out_trade_no", ""))
        if order is None:
            return 404, {"code": "RESOURCE_NOT_EXISTS", "message": "订单不存在"}
        amount = data["amount"]
        if amount["total"] != order["amount"]["total"]:
            return 400, {"code": "PARAM_ERROR", "message": "订单金额或退款金额与之前请求不一致"}
        if amount["refund"] > amount["total"]:
            return 403, {"code": "NOT_ENOUGH", "message": "基本账户余额不足，请充值后重新发起"}
        refund = {
            "refund_id": f"5030{len(self.refunds):024d}",
            "out_refund_no": data["out_refund_no"],
            "transaction_id": order.get("transaction_id", ""),
            "out_trade_no": data["out_trade_no"],
            "channel": "ORIGINAL",
            "user_received_account": "招商银行信用卡0403",
            "create_time": "2026-12-02T11:00:00+08:00",
            "status": "PROCESSING",
            "amount": {
                "total": amount["total"],
                "refund": amount["refund"],
                "payer_total": amount["total"],
                "payer_refund": amount["refund"],
                "settlement_total": amount["total"],
                "settlement_refund": amount["refund"],
                "discount_refund": 0,
                "currency": "CNY",
            },
        }
        self.refunds[data["out_refund_no"]] = refund
        return 200, refund


def merchant_config(
    merchant_key, platform_certificates: dict[str, str], *, base_url: str = "", **extra: Any
) -> WeChatPayConfig:
    return WeChatPayConfig(
        mchid=MCHID,
        appid=APPID,
        merchant_serial_no=MERCHANT_SERIAL,
        merchant_private_key_pem=private_pem(merchant_key),
        apiv3_key=APIV3_KEY,
        platform_certificates=platform_certificates,
        notify_url="https://shop.example.com/api/v1/payments/wechatpay/notify/demo",
        api_base_url=base_url or "https://api.mch.weixin.qq.com",
        **extra,
    )
