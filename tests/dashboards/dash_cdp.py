"""Headless Chromium driven over the DevTools protocol on a pipe (no websocket library needed).

Chromium reads commands on fd 3 and writes replies on fd 4, each a JSON message ended by NUL.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

BINARIES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
    "--remote-debugging-pipe",
)
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")

# Every plotly chart on the page: how many traces and non-empty values it holds, drawn or not.
PLOTS_JS = """(async () => {
  await document.fonts.ready;
  const count = t => Math.max(0, ...['x', 'y', 'z', 'values'].map(
    k => Array.isArray(t[k]) ? t[k].flat().filter(v => v !== null && v !== undefined).length : 0));
  return [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
    id: gd.id, traces: (gd.data || []).length,
    values: (gd.data || []).reduce((n, t) => n + count(t), 0),
    drawn: !!gd._fullLayout && gd.querySelectorAll('.main-svg').length > 0,
  }));
})()"""

# Listens after the page's own beforeprint handler: the widths the charts have when printed.
RECORD_PRINT_JS = """window.addEventListener('beforeprint', () => {
  window.__printWidths = [...document.querySelectorAll('.js-plotly-plot')]
    .map(gd => gd._fullLayout.width);
});"""


def find_browser() -> str | None:
    for name in BINARIES:
        path = shutil.which(name) or shutil.which(name, path="/usr/bin")
        if path:
            return path
    return None


def _high(fd: int) -> int:
    """The same open file on a descriptor >= 10 (so that it cannot clash with 3 and 4)."""
    new = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return new


@dataclass
class PageReport:
    url: str
    requests: list[str] = field(default_factory=list)  # non-local requests
    errors: list[str] = field(default_factory=list)  # console errors, exceptions, log errors
    plots: list[dict] = field(default_factory=list)
    png: bytes = b""
    pdf: bytes = b""
    print_widths: list[int] = field(default_factory=list)  # chart widths while printing


class Chromium:
    def __init__(self, binary: str, profile: Path, log=subprocess.DEVNULL):
        cmd_r, self._w = os.pipe()
        self._r, res_w = os.pipe()
        cmd_r, res_w = _high(cmd_r), _high(res_w)  # fds 3 and 4 are the child's pipe ends
        def wire() -> None:  # in the child: the pipe ends become fds 3 and 4 (inheritable)
            os.dup2(cmd_r, 3)
            os.dup2(res_w, 4)

        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}"], preexec_fn=wire, close_fds=False,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
        )
        os.close(cmd_r)
        os.close(res_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)
        os.close(self._r)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._r], [], [], left)[0]:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._r, 1 << 20)
            if not chunk:
                raise RuntimeError(f"chromium closed the pipe (exit code {self.proc.poll()})")
            self._buf += chunk
        msg, _, self._buf = self._buf.partition(b"\0")
        return json.loads(msg)

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 15) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, session: str, timeout: float = 15) -> dict:
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for e in self.events[seen:]:
                if e.get("method") == method and e.get("sessionId") == session:
                    return e
            seen = len(self.events)
            self.events.append(self._read(deadline))

    def open(self, path: Path, *, width: int = 1280, pdf: bool = False) -> PageReport:
        url = path.resolve().as_uri()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        sid = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        first = len(self.events)
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable", session=sid)
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False}, sid)
        self.send("Page.navigate", {"url": url}, sid)
        self.wait_event("Page.loadEventFired", sid)
        report = PageReport(url)
        for _ in range(40):  # plotly draws asynchronously; give it up to ~4 s
            res = self.send("Runtime.evaluate", {"expression": PLOTS_JS, "awaitPromise": True,
                                                 "returnByValue": True}, sid)
            report.plots = res["result"].get("value") or []
            if all(p["drawn"] for p in report.plots):
                break
            time.sleep(0.1)
        size = self.send("Page.getLayoutMetrics", session=sid)["cssContentSize"]
        shot = self.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        }, sid, timeout=30)
        report.png = base64.b64decode(shot["data"])
        if pdf:  # record the chart widths the page sets for printing, then print
            self.send("Runtime.evaluate", {"expression": RECORD_PRINT_JS}, sid)
            out = self.send("Page.printToPDF", {"preferCSSPageSize": True,
                                                "printBackground": True}, sid, timeout=30)
            report.pdf = base64.b64decode(out["data"])
            res = self.send("Runtime.evaluate", {"expression": "window.__printWidths || []",
                                                 "returnByValue": True}, sid)
            report.print_widths = res["result"].get("value") or []
        self._collect(report, sid, first)
        self.send("Target.closeTarget", {"targetId": target})
        return report

    def _collect(self, report: PageReport, sid: str, first: int) -> None:
        for e in self.events[first:]:
            if e.get("sessionId") != sid:
                continue
            m, p = e.get("method"), e.get("params", {})
            if m == "Network.requestWillBeSent":
                u = p["request"]["url"]
                if not u.startswith(LOCAL_SCHEMES):
                    report.requests.append(u)
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                report.errors.append(" ".join(str(a.get("value", a.get("description")))
                                              for a in p.get("args", [])))
            elif m == "Runtime.exceptionThrown":
                d = p["exceptionDetails"]
                report.errors.append(d.get("exception", {}).get("description") or d["text"])
            elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
                report.errors.append(f"{p['entry']['text']} {p['entry'].get('url', '')}")
