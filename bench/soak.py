"""Soak test of `modelatlas serve` on 127.0.0.1: 8 clients for 10 minutes, valid and malformed requests mixed.

Each client loops until the deadline over a mix: questions to /api/ask (seed questions and their
variations), the question page, model, task and paper pages, the graph page, /api/graph neighbourhoods
and /api/models/…/papers, and malformed requests (an empty or over-long question, an unknown model, a
path out of the site, a depth out of range, bytes that are not UTF-8). A valid request must get 200 and
a malformed one a 4xx; anything else (a 5xx, a dropped connection, a time-out) is an error. The
server's resident memory is read from /proc before the load, after a warm-up under the full load (the
first --warmup seconds: each client thread's allocator arenas and caches fill up then), and at the end;
the growth that counts is from the end of the warm-up to the end.

Bounded: every request times out after 60 s, and the clients stop at --minutes, whatever is left.
Run:  .venv/bin/python bench/soak.py [--clients 8] [--minutes 10] [--home DIR]
Prints a Markdown table; docs/performance.md quotes it.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
from load_test import SEED_QUESTIONS, cli_answers, percentile, start_server, variations

QUESTIONS = list(dict.fromkeys(v for q in SEED_QUESTIONS for v in variations(q))) + [
    "estimate depth from a single photo", "remove rain streaks from my photo", "find every car in a street picture",
    "transcribe a podcast", "what's a good lasagna recipe?",
]
NODES = ["models/SISR-Any-LIIF-RDN", "models/Deblur-MIMO-UNet-RealBlur", "tasks/task:image-deblurring",
         "tasks/task:arbitrary-scale-super-resolution", "papers/paper:arxiv:2012.09161"]
VALID = [
    ("api-ask", lambda r: ("/api/ask", {"q": r.choice(QUESTIONS)})),
    ("page-ask", lambda r: ("/ask", {"q": r.choice(QUESTIONS)})),
    ("page-node", lambda r: ("/" + r.choice(NODES), None)),
    ("page-home", lambda r: ("/", None)),
    ("page-graph", lambda r: ("/graph", {"kind": r.choice(["model", "task", "paper"])})),
    ("api-graph", lambda r: ("/api/graph", {"center": "model:SISR-Any-LIIF-RDN", "depth": r.choice([1, 2])})),
    ("api-papers", lambda r: ("/api/models/SISR-Any-LIIF-RDN/papers", None)),
]
MALFORMED = [
    ("empty-question", lambda r: ("/api/ask", {"q": "   "})),
    ("long-question", lambda r: ("/api/ask", {"q": "why " * 2000})),
    ("unknown-model", lambda r: (f"/api/models/no-such-model-{r.randrange(10**6)}/papers", None)),
    ("out-of-site", lambda r: ("/models/..%2F..%2Fetc%2Fpasswd", None)),
    ("bad-depth", lambda r: ("/api/graph", {"center": "model:SISR-Any-LIIF-RDN", "depth": 99})),
    ("not-a-number", lambda r: ("/api/graph", {"center": "model:SISR-Any-LIIF-RDN", "depth": "deep"})),
    ("not-utf8", lambda r: ("/api/ask?q=%ff%fe%fd", None)),
]


def rss_kib(pid: int) -> int:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--malformed", type=float, default=0.2, help="share of malformed requests")
    parser.add_argument("--warmup", type=float, default=60.0, help="seconds of full load before memory is first measured")
    parser.add_argument("--home", type=Path, default=None, help="catalog folder (default: $MODELATLAS_HOME or a new one)")
    args = parser.parse_args()
    home = args.home or Path(os.environ.get("MODELATLAS_HOME") or tempfile.mkdtemp(prefix="modelatlas-soak-"))
    env = {**os.environ, "MODELATLAS_HOME": str(home)}
    cli_answers(QUESTIONS[:2], env)  # builds the catalog first if the home is new

    server, url, startup = start_server(env)
    latencies: dict[str, list[float]] = {"valid": [], "malformed": []}
    outcomes: Counter = Counter()
    errors: list[str] = []
    lock = threading.Lock()
    try:
        with httpx.Client(base_url=url, timeout=60) as http:  # one round of every request, so memory is measured warm
            for _, make in VALID:
                path, params = make(random.Random(0))
                http.get(path, params=params)
        rss_idle = rss_kib(server.pid)
        samples = [(0.0, rss_idle)]
        began = time.perf_counter()
        stop_at = began + args.warmup + args.minutes * 60
        rss_start = None

        def client(number: int) -> None:
            rng = random.Random(number)
            with httpx.Client(base_url=url, timeout=60) as http:
                while time.perf_counter() < stop_at:
                    kind = "malformed" if rng.random() < args.malformed else "valid"
                    name, make = rng.choice(MALFORMED if kind == "malformed" else VALID)
                    path, params = make(rng)
                    start = time.perf_counter()
                    try:
                        status = http.get(path, params=params).status_code
                    except httpx.HTTPError as err:
                        status = type(err).__name__
                    elapsed = time.perf_counter() - start
                    good = status == 200 if kind == "valid" else isinstance(status, int) and 400 <= status < 500
                    with lock:
                        latencies[kind].append(elapsed)
                        outcomes[(kind, name, status)] += 1
                        if not good:
                            errors.append(f"{kind} {name} {path}: {status}")

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            time.sleep(5)
            samples.append((time.perf_counter() - began, rss_kib(server.pid)))
            if rss_start is None and samples[-1][0] >= args.warmup:
                rss_start = samples[-1][1]
        wall = time.perf_counter() - began
        rss_end = rss_kib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    valid, malformed = latencies["valid"], latencies["malformed"]
    rss_start = rss_start or rss_idle
    growth = (rss_end - rss_start) / rss_start
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{args.clients} clients for {wall / 60:.1f} min ({args.warmup:.0f} s of it warm-up); server ready in {startup:.1f} s\n")
    print("| measure | value |\n|---|---|")
    print(f"| requests | {len(valid) + len(malformed):,} ({len(valid):,} valid, {len(malformed):,} malformed) |")
    print(f"| throughput | {(len(valid) + len(malformed)) / wall:.1f} requests/s |")
    print(f"| errors (valid request not 200, malformed not 4xx, dropped) | {len(errors)} |")
    for q in (0.5, 0.95, 0.99):
        print(f"| valid requests, p{int(q * 100)} | {percentile(valid, q) * 1000:.0f} ms |")
    print(f"| malformed requests, p50 | {percentile(malformed, 0.5) * 1000:.0f} ms |")
    print(f"| server memory (RSS) before the load | {rss_idle / 1024:.0f} MiB |")
    print(f"| server memory after {args.warmup:.0f} s of warm-up, at the end | {rss_start / 1024:.0f} MiB, {rss_end / 1024:.0f} MiB ({growth:+.1%}) |")
    print(f"| server memory, highest sample | {max(s for _, s in samples) / 1024:.0f} MiB |")
    print("\n| request | answered | count |\n|---|---|---|")
    for (kind, name, status), count in sorted(outcomes.items(), key=lambda item: (item[0][0], item[0][1], str(item[0][2]))):
        print(f"| {kind} {name} | {status} | {count:,} |")
    if errors or growth >= 0.10:
        print(f"\nerrors: {errors[:10]}; memory growth {growth:+.1%}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
