"""A local server that answers subscriptions as 快递100's /poll does, and pushes built and
signed as 快递100 builds them (MD5 over param + salt, upper-case hex)."""

import json
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode

from dingdan.fulfillment.providers import kuaidi100

KEY = "xXKbNtLA3691"  # an enterprise 授权key as 快递100's console shows one
SALT = "8f0c3a6d2b9e4f1a7c5d0e3b6a9f2c4d"  # 32 characters, as 快递100 suggests
KNOWN_COMPANIES = frozenset(kuaidi100.COMPANY_CODES.values())


def step(time: str, context: str, *, status: str = "", code: str = "", area: str = "") -> dict:
    """One step of lastResult.data as resultv2=4 sends it."""
    data = {"context": context, "time": time, "ftime": time}
    if status:
        data["status"] = status
    if code:
        data["statusCode"] = code
    if area:
        data["areaName"] = area
    return data


def push_param(
    com: str,
    nu: str,
    steps: list[dict],
    *,
    state: str = "0",
    status: str = "polling",
    message: str = "",
) -> str:
    """The `param` of a push: the whole journey, newest step first, as 快递100 sends it."""
    return json.dumps(
        {
            "status": status,
            "billstatus": "got",
            "message": message,
            "autoCheck": "0",
            "comOld": "",
            "comNew": "",
            "lastResult": {
                "message": "ok",
                "state": state,
                "status": "200",
                "condition": "F00",
                "ischeck": "1" if state.startswith("3") else "0",
                "com": com,
                "nu": nu,
                "data": steps,
            },
        },
        ensure_ascii=False,
    )


def push_body(param: str, *, salt: str = SALT, signature: str | None = None) -> bytes:
    """The form body 快递100 POSTs to the callback URL."""
    signature = kuaidi100.sign(param, salt) if signature is None else signature
    return urlencode({"param": param, "sign": signature}).encode()


class FakeKuaidi100:
    """POST /poll with 快递100's checks and answers; `requests` keeps what it received."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.watched: dict[tuple[str, str], dict[str, Any]] = {}  # → the subscription's param
        self.fail_with_http: int | None = None  # answer this HTTP status instead
        self.fail_with_code: str | None = None  # answer result false with this returnCode
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                fake.handle(self)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> "FakeKuaidi100":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length).decode()
        form = {name: values[0] for name, values in parse_qs(body).items()}
        self.requests.append({"path": request.path, "headers": dict(request.headers), "form": form})
        if self.fail_with_http:
            self.answer(request, self.fail_with_http, b"<html>502 Bad Gateway</html>")
            return
        answer = self.subscribe(request.path, form)
        self.answer(request, 200, json.dumps(answer, ensure_ascii=False).encode())

    @staticmethod
    def answer(request: BaseHTTPRequestHandler, status: int, raw: bytes) -> None:
        request.send_response(status)
        request.send_header("Content-Type", "application/json;charset=UTF-8")
        request.send_header("Content-Length", str(len(raw)))
        request.end_headers()
        request.wfile.write(raw)

    def subscribe(self, path: str, form: dict[str, str]) -> dict[str, Any]:
        def refused(code: str, message: str) -> dict[str, Any]:
            return {"result": False, "returnCode": code, "message": message}

        if self.fail_with_code:
            return refused(self.fail_with_code, "服务器错误")
        if path != "/poll" or form.get("schema") != "json":
            return refused("700", "订阅方的订阅数据存在错误")
        try:
            param = json.loads(form.get("param") or "")
        except ValueError:
            return refused("700", "订阅方的订阅数据存在错误")
        if param.get("key") != KEY:
            return refused("600", "您不是合法的订阅者")
        company, number = param.get("company", ""), param.get("number", "")
        callback = (param.get("parameters") or {}).get("callbackurl")
        if company not in KNOWN_COMPANIES:
            return refused("701", "拒绝订阅的快递公司")
        if not number or len(number) > 32 or not callback:
            return refused("700", "订阅方的订阅数据存在错误")
        if (company, number) in self.watched:
            return refused("501", "重复订阅")
        self.watched[(company, number)] = param
        return {"result": True, "returnCode": "200", "message": "提交成功"}

    def push(self, company: str, number: str, steps: list[dict], **kwargs: Any) -> bool:
        """Push the journey to the subscription's callback, signed with its salt, as
        快递100 does; True when the callback took it (快递100's one accepted answer)."""
        parameters = self.watched[(company, number)]["parameters"]
        body = push_body(push_param(company, number, steps, **kwargs), salt=parameters["salt"])
        request = urllib.request.Request(
            parameters["callbackurl"],
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                answer = json.loads(response.read())
        except (urllib.error.HTTPError, ValueError):
            return False
        return answer.get("result") is True and answer.get("returnCode") == "200"


class Callback:
    """Our callback endpoint on a local port: hands each push's body to `handle`, which
    answers with a PushReply."""

    def __init__(self, handle) -> None:
        self.received: list[bytes] = []
        callback = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                callback.received.append(body)
                reply = handle(dict(self.headers), body)
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def url(self, query: str = "") -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/kuaidi100/push" + (f"?{query}" if query else "")

    def __enter__(self) -> "Callback":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
