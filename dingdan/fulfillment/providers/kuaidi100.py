"""快递100 (kuaidi100.com) 快递信息推送服务: subscribe a number, receive its journey.

Subscribing is a form POST to https://poll.kuaidi100.com/poll (`schema=json`, `param` =
JSON with company, number, key and parameters{callbackurl, salt, resultv2, phone}); the
answer is {"result": true, "returnCode": "200", "message": "提交成功"} or an error code.
快递100 then POSTs a form to the callback whenever the journey changes: `param` (JSON:
status, message, lastResult{state, ischeck, com, nu, data[…] newest first}) and `sign`,
the upper-case hex MD5 of param + salt. It wants {"result": true, "returnCode": "200",
"message": "成功"} back, and sends the push again (3 times, about 35 minutes apart) for any
other answer. MD5 is 快递100's scheme, not our choice; the salt is what makes it a proof."""

import hashlib
import hmac
import http.client
import json
import logging
import secrets
import urllib.error
import urllib.request
from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

from dingdan.fulfillment.providers.base import (
    InvalidProviderConfig,
    InvalidPush,
    InvalidSignature,
    ProviderRefused,
    ProviderUnavailable,
    PushReply,
    ShipmentStatus,
    Subscription,
    TrackingEvent,
    TrackingPush,
)

logger = logging.getLogger("dingdan.fulfillment.kuaidi100")

PROVIDER = "kuaidi100"
DEFAULT_BASE_URL = "https://poll.kuaidi100.com"
SUBSCRIBE_PATH = "/poll"
USER_AGENT = "dingdan (kuaidi100 poll)"
# 快递100 writes its times without a zone; they are Beijing time.
PROVIDER_TIMEZONE = ZoneInfo("Asia/Shanghai")
# resultv2=4: each step carries 快递100's detailed status code (statusCode) and name, and the
# area it happened in (areaName).
RESULT_VERSION = "4"

# Our carrier codes → 快递100's company codes (its 快递公司编码表; the SDK's CompanyConstant
# has shunfeng, zhongtong, yuantong, shentong, yunda, ems, jd).
COMPANY_CODES: dict[str, str] = {
    "sf": "shunfeng",
    "zto": "zhongtong",
    "yto": "yuantong",
    "yunda": "yunda",
    "sto": "shentong",
    "jt": "jtexpress",
    "jd": "jd",
    "ems": "ems",
    "deppon": "debangwuliu",
}
CARRIER_CODES = {company: carrier for carrier, company in COMPANY_CODES.items()}

S = ShipmentStatus
# 快递100's states, the ten main ones and the detailed ones resultv2=4 sends (its "运单快递
# 状态说明"), mapped to ours. A detailed code not listed falls back to its family (below).
STATES: dict[str, tuple[str, ShipmentStatus]] = {
    "101": ("已下单", S.PACKED),
    "102": ("待揽收", S.PACKED),
    "1": ("揽收", S.SHIPPED),
    "103": ("已揽收", S.SHIPPED),
    "0": ("在途", S.IN_TRANSIT),
    "1001": ("到达派件城市", S.IN_TRANSIT),
    "1002": ("干线", S.IN_TRANSIT),
    "1003": ("转递", S.IN_TRANSIT),
    "7": ("转投", S.IN_TRANSIT),  # handed to another carrier: still on its way
    "8": ("清关", S.IN_TRANSIT),
    "10": ("待清关", S.IN_TRANSIT),
    "11": ("清关中", S.IN_TRANSIT),
    "12": ("已清关", S.IN_TRANSIT),
    "13": ("清关异常", S.EXCEPTION),
    "5": ("派件", S.OUT_FOR_DELIVERY),
    "501": ("投柜或驿站", S.OUT_FOR_DELIVERY),  # waiting in a locker for the customer
    "3": ("签收", S.DELIVERED),
    "301": ("本人签收", S.DELIVERED),
    "302": ("派件异常后签收", S.DELIVERED),
    "303": ("代签", S.DELIVERED),
    "304": ("投柜或站签收", S.DELIVERED),
    "2": ("疑难", S.EXCEPTION),
    "14": ("拒签", S.EXCEPTION),  # the customer refused it: the shop has to act
    "6": ("退回", S.RETURNED),
    "4": ("退签", S.RETURNED),
    "401": ("已销单", S.CANCELLED),
}
STATE_NAMES = {name: code for code, (name, _status) in STATES.items()}

REPLY_OK = {"result": True, "returnCode": "200", "message": "成功"}
# Subscribe answers: 200 taken; 501 already watched (and still being watched) — fine; 500
# 快递100's own failure — try later. The rest are refusals: 600 not a valid key, 601 key
# expired, 700 wrong data (carrier, number or callback), 701 carrier not taken, 702 no
# carrier found for the number.
SUBSCRIBED, ALREADY_SUBSCRIBED = "200", "501"
RETRYABLE_CODES = frozenset({"500"})


def new_salt() -> str:
    """A salt for a new account: 32 random characters, as 快递100 suggests."""
    return secrets.token_hex(16)


def sign(param: str, salt: str) -> str:
    """快递100's push signature: MD5 over param + salt, upper-case hex."""
    return hashlib.md5((param + salt).encode()).hexdigest().upper()


def status_for(code: str) -> ShipmentStatus | None:
    """Our status for 快递100's state code (main or detailed); None for one not known."""
    code = str(code).strip()
    if code in STATES:
        return STATES[code][1]
    # A detailed code is its main state's digit and two more (2xx are kinds of 疑难, 3xx
    # of 签收 …); 100x are kinds of 在途 (0).
    if len(code) == 3 and code[0] in "123456":
        return STATES[code[0]][1]
    if len(code) == 4 and code.startswith("100") and code.isdigit():
        return S.IN_TRANSIT
    return None


def push_reply(error: Exception | None = None) -> PushReply:
    """The body 快递100 wants for a push taken (error None); anything else makes it send
    the push again later, so a refused or failed push answers result false."""
    if error is None:
        return PushReply(status=200, body=json.dumps(REPLY_OK, ensure_ascii=False).encode())
    refused = isinstance(error, InvalidPush)
    body = {
        "result": False,
        "returnCode": "400" if refused else "500",
        "message": str(error) if refused else "internal error",
    }
    return PushReply(status=400 if refused else 500, body=json.dumps(body).encode())


class Kuaidi100:
    """One 快递100 enterprise account: its `key` (授权key) and the `salt` our pushes are
    signed with. `base_url` is 快递100's, or a local server in tests."""

    name = PROVIDER

    def __init__(
        self,
        key: str,
        salt: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout_seconds: float = 10,
        opener: urllib.request.OpenerDirector | None = None,
    ) -> None:
        fields = {}
        if not (key or "").strip():
            fields["key"] = "the 快递100 授权key is empty"
        if not (salt or "").strip():
            fields["salt"] = "the salt is empty: unsigned pushes could be forged"
        if fields:
            raise InvalidProviderConfig(next(iter(fields.values())), fields=fields)
        self.key = key.strip()
        self.salt = salt
        self.base_url = base_url.rstrip("/")
        self.timeout_seconds = timeout_seconds
        self.opener = opener or urllib.request.build_opener()

    def supports(self, carrier_code: str) -> bool:
        return carrier_code in COMPANY_CODES

    def subscribe(
        self,
        carrier_code: str,
        tracking_number: str,
        *,
        callback_url: str,
        phone: str | None = None,
    ) -> Subscription:
        """Ask 快递100 to watch the number and push to `callback_url`. Subscribing twice is
        harmless (501: already watched). SF, and ZTO for some numbers, show the journey
        only with the receiver's or sender's phone (its last four digits will do)."""
        company = COMPANY_CODES.get(carrier_code)
        if company is None:
            raise ProviderRefused(f"快递100 has no company code for carrier {carrier_code!r}")
        parameters = {"callbackurl": callback_url, "salt": self.salt, "resultv2": RESULT_VERSION}
        if phone:
            parameters["phone"] = phone
        param = {
            "company": company,
            "number": tracking_number,
            "key": self.key,
            "parameters": parameters,
        }
        form = {"schema": "json", "param": json.dumps(param, ensure_ascii=False)}
        answer = self._post(SUBSCRIBE_PATH, form)
        code = str(answer.get("returnCode") or "")
        message = str(answer.get("message") or "")
        if code in (SUBSCRIBED, ALREADY_SUBSCRIBED) or (answer.get("result") is True and not code):
            return Subscription(
                provider=PROVIDER,
                carrier_code=carrier_code,
                tracking_number=tracking_number,
                already_subscribed=code == ALREADY_SUBSCRIBED,
                message=message,
            )
        text = f"快递100 refused the subscription: {code or '?'} {message}".strip()
        logger.warning("快递100 subscribe %s %s: %s %s", company, tracking_number, code, message)
        if code in RETRYABLE_CODES:
            raise ProviderUnavailable(text, provider_code=code, http_status=200)
        raise ProviderRefused(text, provider_code=code, http_status=200)

    def parse_push(self, headers: Mapping[str, str], body: bytes) -> TrackingPush:
        """Verify the push's signature over the exact `param` sent, then read it."""
        form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        param = (form.get("param") or [""])[0]
        received = (form.get("sign") or [""])[0].strip().upper()
        if not param:
            raise InvalidPush("malformed_body", "the push has no param")
        if not received:
            raise InvalidSignature("missing_signature", "the push is not signed")
        if not hmac.compare_digest(sign(param, self.salt).encode(), received.encode()):
            raise InvalidSignature(
                "bad_signature", "the push's sign is not MD5(param + salt) for this account"
            )
        return read_push(param)

    def reply_to_push(self, error: Exception | None = None) -> PushReply:
        return push_reply(error)

    def _post(self, path: str, form: Mapping[str, str]) -> Mapping[str, Any]:
        request = urllib.request.Request(
            self.base_url + path,
            data=urlencode(form).encode(),
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8",
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
        )
        try:
            with self.opener.open(request, timeout=self.timeout_seconds) as response:
                raw = response.read()
        except urllib.error.HTTPError as error:
            status = error.code
            text = error.read()[:200].decode("utf-8", "replace")
            message = f"快递100 answered HTTP {status}: {text}".strip()
            if status >= 500 or status == 429:
                raise ProviderUnavailable(message, http_status=status) from None
            raise ProviderRefused(message, http_status=status) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", error)
            raise ProviderUnavailable(f"快递100 did not answer: {reason}") from error
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise ProviderUnavailable("快递100 answered with something that is not JSON")
        return answer


def read_push(param: str) -> TrackingPush:
    """A push's verified `param` read into our terms; InvalidPush when it cannot be read."""
    try:
        data = json.loads(param)
    except ValueError:
        raise InvalidPush("malformed_body", "param is not JSON") from None
    if not isinstance(data, dict):
        raise InvalidPush("malformed_body", "param is not a JSON object")
    last = data.get("lastResult")
    if not isinstance(last, dict):
        raise InvalidPush("malformed_body", "param has no lastResult")
    company = str(last.get("com") or data.get("comNew") or "").strip().lower()
    number = str(last.get("nu") or "").strip()
    if not number:
        raise InvalidPush("malformed_body", "lastResult has no tracking number (nu)")
    steps = last.get("data") or []
    if not isinstance(steps, list):
        raise InvalidPush("malformed_body", "lastResult.data is not a list")
    carrier_code = CARRIER_CODES.get(company, "")
    # 快递100 lists the journey newest first; ours is oldest first (stable for equal times).
    events = sorted(
        (_event(step, number) for step in reversed(steps)),
        key=lambda event: event.at,
    )
    state = str(last.get("state") if last.get("state") is not None else "").strip()
    status = status_for(state) if state else None
    if status is None and events:
        status = events[-1].status
    monitoring = str(data.get("status") or "")
    return TrackingPush(
        provider=PROVIDER,
        carrier_code=carrier_code,
        tracking_number=number,
        status=status,
        events=tuple(events),
        provider_carrier_code=company,
        is_final=monitoring in ("shutdown", "abort"),
        gave_up=monitoring == "abort",
        message=str(data.get("message") or ""),
    )


def _event(step: Any, number: str) -> TrackingEvent:
    if not isinstance(step, dict):
        raise InvalidPush("malformed_body", "a step of lastResult.data is not an object")
    written = str(step.get("ftime") or step.get("time") or "").strip()
    try:
        at = datetime.strptime(written, "%Y-%m-%d %H:%M:%S").replace(tzinfo=PROVIDER_TIMEZONE)
    except ValueError:
        raise InvalidPush("malformed_body", f"a step has an unreadable time {written!r}") from None
    detail = str(step.get("context") or "").strip()
    code = str(step.get("statusCode") or "").strip()
    name = str(step.get("status") or "").strip()
    provider_status = code or name
    if not code and name in STATE_NAMES:
        code = STATE_NAMES[name]
    # The same step comes in every later push, with the same time and words. The carrier is
    # left out: 快递100 may correct it (comNew) between two pushes of the same journey.
    fingerprint = "\x1f".join((number, written, detail))
    key = hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
    return TrackingEvent(
        at=at,
        status=status_for(code) if code else None,
        detail=detail,
        location=str(step.get("areaName") or "").strip(),
        provider_status=provider_status,
        idempotency_key=f"{PROVIDER}:{key}",
    )
