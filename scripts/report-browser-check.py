#!/usr/bin/env python3
"""Opens a proof report in headless Chromium as a person would, over the DevTools protocol (on a pipe, so no
network port and no extra Python packages): waits for the page to load, collects console errors, uncaught
exceptions and any request that is not the file itself, sorts and filters the repository table, and saves
screenshots at 1400 px wide. Prints one JSON object; exits 1 when the page logged an error or asked the network.

usage: report-browser-check.py INDEX_HTML [--screenshots DIR] [--width 1400] [--expect-text TEXT]...
"""
import argparse
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


class Browser:
    """Chromium with --remote-debugging-pipe: JSON messages separated by NUL on fds 3 (in) and 4 (out)."""

    def __init__(self, binary, width, height):
        self.profile = tempfile.mkdtemp(prefix="plumb-chromium-")
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()
        args = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
            "--remote-debugging-pipe", f"--user-data-dir={self.profile}", f"--window-size={width},{height}",
            "about:blank",
        ]

        def child_fds():
            # The child must see our pipe ends as its fds 3 and 4; move them clear of 3 and 4 first.
            reading = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
            writing = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4), preexec_fn=child_fds)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.dialogs = 0

    def send(self, method, params=None, session=None, timeout=60):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            reply = self.read(deadline)
            if reply is None:
                break
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise TimeoutError(f"{method}: no answer from chromium")

    def read(self, deadline):
        while b"\0" not in self.buffer:
            if time.time() > deadline:
                return None
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                return None
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(message)
        if message.get("method") == "Page.javascriptDialogOpening":
            # An alert() would block the page: it is reported as an error, and dismissed.
            self.dialogs += 1
            dismiss = {"id": 1_000_000 + self.dialogs, "method": "Page.handleJavaScriptDialog",
                       "params": {"accept": False}, "sessionId": message.get("sessionId")}
            os.write(self.to_browser, json.dumps(dismiss).encode() + b"\0")
        return message

    def wait_for(self, method, deadline):
        for index, event in enumerate(self.events):
            if event.get("method") == method:
                del self.events[index]
                return event
        while time.time() < deadline:
            event = self.read(deadline)
            if event is None:
                break
            if event.get("method") == method:
                return event
            self.events.append(event)
        raise TimeoutError(f"no {method} from chromium")

    def close(self):
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page")
    parser.add_argument("--screenshots", help="folder for PNG screenshots")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--chromium", default=shutil.which("chromium") or shutil.which("chromium-browser"))
    parser.add_argument("--expect-text", action="append", default=[], help="text the page must show (repeatable)")
    options = parser.parse_args()
    if not options.chromium:
        print("report-browser-check: no chromium on PATH (apt-get install chromium)", file=sys.stderr)
        return 2
    url = "file://" + os.path.abspath(options.page)
    browser = Browser(options.chromium, options.width, options.height)
    result = {"page": url, "console_errors": [], "exceptions": [], "requests": [], "screenshots": []}
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network", "Performance"):
            browser.send(f"{domain}.enable", session=session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": options.width, "height": options.height, "deviceScaleFactor": 1, "mobile": False},
            session=session)
        started = time.time()
        browser.send("Page.navigate", {"url": url}, session=session)
        browser.wait_for("Page.loadEventFired", started + options.timeout)
        result["wall_load_seconds"] = round(time.time() - started, 3)

        def evaluate(expression):
            reply = browser.send(
                "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                session=session)
            if "exceptionDetails" in reply:
                result["exceptions"].append(reply["exceptionDetails"].get("text", "exception"))
                return None
            return reply["result"].get("value")

        timing = evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0];"
            " return {dom_content_loaded_ms: n.domContentLoadedEventEnd, load_ms: n.loadEventEnd,"
            " bytes: n.decodedBodySize}; })()")
        result.update(timing or {})
        metrics = browser.send("Performance.getMetrics", session=session).get("metrics", [])
        wanted = {"Nodes", "LayoutDuration", "RecalcStyleDuration", "ScriptDuration", "TaskDuration"}
        result["metrics"] = {m["name"]: round(m["value"], 3) for m in metrics if m["name"] in wanted}
        if options.screenshots:
            os.makedirs(options.screenshots, exist_ok=True)
            evaluate("document.querySelectorAll('details.repo').forEach((d, i) => d.open = i < 2)")
            for name, anchor in (("top", None), ("repositories", "repositories"), ("waivers", "waivers"),
                                 ("findings", "findings")):
                if anchor:
                    found = evaluate(
                        f"(() => {{ const s = document.getElementById('{anchor}'); if (!s) return false;"
                        " s.scrollIntoView(); return true; })()")
                    if not found:
                        continue
                else:
                    evaluate("window.scrollTo(0, 0)")
                shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)
                path = os.path.join(options.screenshots, f"{name}.png")
                with open(path, "wb") as file:
                    file.write(base64.b64decode(shot["data"]))
                result["screenshots"].append(path)
        # Interact as a reader would: sort by a column twice, filter by team and by name, open a repository.
        result["interaction"] = evaluate("""(() => {
          const table = document.getElementById('repository-table');
          if (!table) return {rows: 0};
          const rows = () => Array.from(table.tBodies[0].rows);
          const names = () => rows().map(r => r.cells[0].textContent);
          const header = Array.from(table.tHead.rows[0].cells).find(c => c.textContent === 'errors');
          header.click();
          const ascending = rows().map(r => parseFloat(r.cells[header.cellIndex].textContent));
          header.click();
          const descending = rows().map(r => parseFloat(r.cells[header.cellIndex].textContent));
          const sorted = (list, sign) => list.every((v, i) => i === 0 || sign * (v - list[i - 1]) >= 0);
          const team = document.getElementById('team');
          let teamShown = null, teams = 0;
          if (team && team.options.length > 1) {
            teams = team.options.length - 1;
            team.value = team.options[1].value;
            team.dispatchEvent(new Event('change'));
            teamShown = rows().filter(r => !r.hidden).length;
            team.value = '';
            team.dispatchEvent(new Event('change'));
          }
          const query = document.getElementById('q');
          query.value = names()[0].slice(0, 3).toLowerCase();
          query.dispatchEvent(new Event('input'));
          const queryShown = rows().filter(r => !r.hidden).length;
          query.value = '';
          query.dispatchEvent(new Event('input'));
          const details = document.querySelector('details.repo');
          if (details) details.open = true;
          return {rows: rows().length, sorted_ascending: sorted(ascending, 1), sorted_descending: sorted(descending, -1),
                  teams: teams, shown_for_first_team: teamShown, shown_for_name_filter: queryShown,
                  shown_after_reset: rows().filter(r => !r.hidden).length,
                  external_assets: document.querySelectorAll('[src], link[rel=stylesheet]').length,
                  scripts: document.scripts.length};
        })()""")
        if options.expect_text:
            shown = evaluate("document.body.textContent")
            result["missing_text"] = [text for text in options.expect_text if text not in (shown or "")]
        # Let late errors arrive, then read everything the page said.
        browser.send("Runtime.evaluate", {"expression": "0"}, session=session)
    finally:
        events = browser.events
        browser.close()
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            result["exceptions"].append(details.get("exception", {}).get("description") or details.get("text"))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            result["console_errors"].append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            result["console_errors"].append(params["entry"].get("text"))
        elif method == "Page.javascriptDialogOpening":
            result["exceptions"].append("the page opened a dialog: " + str(params.get("message")))
        elif method == "Network.requestWillBeSent":
            requested = params.get("request", {}).get("url", "")
            if requested != url and not requested.startswith("data:"):
                result["requests"].append(requested)
    print(json.dumps(result, indent=2))
    bad = result["console_errors"] or result["exceptions"] or result["requests"] or result.get("missing_text")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
