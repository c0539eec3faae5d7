"""HTTP for the benchmark: signing in the way people do, one-client latency, wrk throughput."""

import http.client
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import psycopg

from bench.speed_pages import PORTAL_USER_SQL, STAFF_LOGINS, STICKER_SQL

WRK = shutil.which("wrk")
CONNECTIONS = 16


class _Form(HTMLParser):
    """The fields of the page's first POST form, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._state = "before"

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "form" and self._state == "before" and attrs.get("method", "").lower() == "post":
            self._state = "inside"
        elif tag == "input" and self._state == "inside" and attrs.get("name"):
            if attrs.get("type") not in ("checkbox", "radio", "submit"):
                self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag) -> None:
        if tag == "form" and self._state == "inside":
            self._state = "after"


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def request(base_url: str, path: str, cookie: str = "", form: dict | None = None) -> Response:
    """One request on a new connection (gunicorn's sync workers close each one)."""
    host = urlsplit(base_url).netloc
    connection = http.client.HTTPConnection(host, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request("POST" if form is not None else "GET", path, body=body, headers=headers)
    answer = connection.getresponse()
    response = Response(answer.status, answer.headers, answer.read())
    connection.close()
    return response


def _session_cookie(response: Response, cookie: str) -> str:
    for header in response.headers.get_all("Set-Cookie") or []:
        name_value = header.split(";", 1)[0]
        if name_value.startswith("session="):
            return name_value
    return cookie


def _post_form(base_url: str, path: str, cookie: str, **values: str) -> tuple[Response, str]:
    """Open `path`, fill its form with `values`, post it; the answer and the session cookie."""
    page = request(base_url, path, cookie)
    cookie = _session_cookie(page, cookie)
    form = _Form()
    form.feed(page.body.decode())
    answer = request(base_url, path, cookie, form=form.fields | values)
    return answer, _session_cookie(answer, cookie)


def staff_cookie(base_url: str, who: str) -> str:
    """A staff session from the sign-in page (e-mail and password)."""
    email, password = STAFF_LOGINS[who]
    answer, cookie = _post_form(base_url, "/login", "", email=email, password=password)
    if answer.status != 302:
        raise SystemExit(f"staff sign-in for {email} answered {answer.status}")
    return cookie


def portal_cookie(base_url: str, database_url: str, who: str) -> str:
    """A portal session the way a customer gets one: ask for a link, open it from the e-mail
    (read from the outbox), press Sign in, land on the page it leads to. The browser keeps the
    cookie that page sets (the session's first form token), and so does this."""
    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        email = conn.execute(PORTAL_USER_SQL[who]).fetchone()[0]
        last = conn.execute("SELECT coalesce(max(id), 0) FROM outbox_messages").fetchone()[0]
        answer, cookie = _post_form(base_url, "/portal/login", "", email=email)
        mail = conn.execute(
            "SELECT text_body FROM outbox_messages WHERE to_address = %s AND id > %s"
            " ORDER BY id DESC LIMIT 1",
            (email, last),
        ).fetchone()
    if answer.status != 200 or mail is None:
        raise SystemExit(f"no portal sign-in link for {email} (status {answer.status})")
    path = re.search(r"/portal/link/[\w-]+", mail[0]).group(0)
    answer, cookie = _post_form(base_url, path, cookie)
    if answer.status != 302:
        raise SystemExit(f"portal sign-in link for {email} answered {answer.status}")
    landing = request(base_url, urlsplit(answer.headers["Location"]).path, cookie)
    return _session_cookie(landing, cookie)


def sticker_token(database_url: str, who: str) -> str:
    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        email = conn.execute(PORTAL_USER_SQL[who]).fetchone()[0]
        query = STICKER_SQL.replace(":email", "%(email)s")
        return conn.execute(query, {"email": email}).fetchone()[0]


def latencies(targets: list[tuple[str, str, str]], count: int, warmup: int) -> list[list[float]]:
    """Milliseconds of `count` sequential GETs per (base URL, path, cookie) target, after `warmup`
    untimed rounds; the targets take turns request by request, so they share the same load."""
    times: list[list[float]] = [[] for _ in targets]
    for n in range(warmup + count):
        for timed, (base_url, path, cookie) in zip(times, targets, strict=True):
            started = time.perf_counter()
            response = request(base_url, path, cookie)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                raise SystemExit(f"GET {base_url}{path} answered {response.status}")
            if n >= warmup:
                timed.append(elapsed)
    return times


def median_p95(times: list[float]) -> tuple[float, float]:
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def throughput(base_url: str, path: str, cookie: str, seconds: int) -> float:
    """Requests per second under CONNECTIONS connections (wrk; a Python loop without it)."""
    if WRK is None:
        return _python_throughput(base_url, path, cookie, seconds)
    command = [WRK, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, base_url + path], capture_output=True, text=True, check=True
    ).stdout
    bad = re.search(r"Non-2xx or 3xx responses: \d+", output)
    if bad:
        raise SystemExit(f"wrk on {path}: {bad.group(0)}")
    if errors := re.search(r"Socket errors: .*", output):
        print(f"  wrk on {path}: {errors.group(0)}", flush=True)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def _python_throughput(base_url: str, path: str, cookie: str, seconds: int) -> float:
    from concurrent.futures import ThreadPoolExecutor

    deadline = time.monotonic() + seconds

    def loop() -> int:
        done = 0
        while time.monotonic() < deadline:
            request(base_url, path, cookie)
            done += 1
        return done

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        total = sum(pool.map(lambda _: loop(), range(CONNECTIONS)))
    return total / seconds
