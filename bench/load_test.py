"""Load test of `modelatlas serve` on 127.0.0.1: concurrent clients asking seed questions and their variations.

Starts the real server on a free port, asks each distinct question once through the CLI (`ask --json
--batch`) for the reference answers, then runs N clients that each send M questions to /api/ask at
once; every answer must equal the CLI's. Then times 100 sequential warm requests. Bounded: every request
times out after 60 s and the run stops after --deadline seconds, whatever is left.

Run:  .venv/bin/python bench/load_test.py [--clients 8] [--requests 100] [--home DIR]
Prints a Markdown table; docs/performance.md quotes it with the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

PROGRAM = str(Path(sys.executable).with_name("modelatlas"))
SEED_QUESTIONS = [
    "Even the skin had tiny pores, and nothing looked over-sharpened. What kind of training lets AI get realistic detail without adding noise?",
    "I enlarged a small and noisy image by 8x, and the result looked impressively natural. How does AI manage to generate such clean results from very limited input?",
    "I took some grainy indoor photos on an old phone, and the AI made them look bright and clean. How does it reduce noise so well without losing detail?",
    "I generated a studio portrait and even the pores and eye reflections felt DSLR-sharp. What data trains AI to capture skin that finely, and what tricks keep resolution so high?",
]


def variations(question: str) -> list[str]:
    """The question as people retype it: lower case, no punctuation, a typo, a prefix, cut short."""
    words = question.split()
    typo = " ".join(w[:-1] if len(w) > 6 and i % 5 == 2 else w for i, w in enumerate(words))
    return [
        question,
        question.lower(),
        "".join(c for c in question if c.isalnum() or c.isspace()),
        typo,
        "hey, quick question: " + question,
        " ".join(words[: max(6, len(words) // 2)]),
    ]


def first_difference(x: object, y: object, path: str = "") -> str | None:
    """Where two JSON values first differ, as a path, or None."""
    if isinstance(x, dict) and isinstance(y, dict):
        for key in sorted(set(x) | set(y)):
            found = first_difference(x.get(key), y.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        for i, (u, v) in enumerate(zip(x, y)):
            found = first_difference(u, v, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if x == y else f"{path}: {str(x)[:80]!r} != {str(y)[:80]!r}"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict) -> tuple[subprocess.Popen, str, float]:
    """`modelatlas serve` on a free port of 127.0.0.1, once it answers: the process, its URL, seconds to start."""
    url = f"http://127.0.0.1:{free_port()}"
    server = subprocess.Popen([PROGRAM, "serve", "--port", url.rsplit(":", 1)[1]], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.perf_counter()
    while True:
        try:
            if httpx.get(url + "/", timeout=2).status_code == 200:
                return server, url, time.perf_counter() - started
        except httpx.HTTPError:
            pass
        if server.poll() is not None or time.perf_counter() - started > 300:
            server.kill()
            raise SystemExit("the server did not start")
        time.sleep(0.5)


def cli_answers(questions: list[str], env: dict) -> dict[str, dict]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as batch:
        batch.write("\n".join(questions) + "\n")
    done = subprocess.run([PROGRAM, "ask", "--json", "--batch", batch.name], env=env, capture_output=True, text=True, check=True)
    os.unlink(batch.name)
    return {q: json.loads(line) for q, line in zip(questions, done.stdout.splitlines())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=100, help="per client")
    parser.add_argument("--home", type=Path, default=None, help="catalog folder (default: $MODELATLAS_HOME or a new one)")
    parser.add_argument("--deadline", type=float, default=900.0, help="stop the load after this many seconds")
    args = parser.parse_args()
    home = args.home or Path(os.environ.get("MODELATLAS_HOME") or tempfile.mkdtemp(prefix="modelatlas-load-"))
    env = {**os.environ, "MODELATLAS_HOME": str(home)}

    questions = list(dict.fromkeys(v for q in SEED_QUESTIONS for v in variations(q)))
    expected = cli_answers(questions, env)  # also builds the catalog if the home is new

    server, url, startup = start_server(env)
    try:

        latencies: list[float] = []
        errors: list[str] = []
        mismatches: list[str] = []
        lock = threading.Lock()
        stop_at = time.perf_counter() + args.deadline

        def client(number: int) -> None:
            with httpx.Client(base_url=url, timeout=60) as http:
                for i in range(args.requests):
                    if time.perf_counter() > stop_at:
                        return
                    question = questions[(number * 7 + i) % len(questions)]
                    begin = time.perf_counter()
                    try:
                        response = http.get("/api/ask", params={"q": question})
                        ok = response.status_code == 200
                        same = ok and response.json() == expected[question]
                    except httpx.HTTPError as err:
                        ok, same, response = False, False, err
                    elapsed = time.perf_counter() - begin
                    with lock:
                        latencies.append(elapsed)
                        if not ok:
                            errors.append(str(getattr(response, "status_code", response)))
                        elif not same:
                            Path(tempfile.gettempdir(), "modelatlas-load-mismatch.json").write_text(json.dumps([expected[question], response.json()]))
                            mismatches.append(f"{question[:50]}… {first_difference(expected[question], response.json())}")

        begin = time.perf_counter()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - begin

        sequential = []
        with httpx.Client(base_url=url, timeout=60) as http:
            for i in range(100):
                begin_one = time.perf_counter()
                http.get("/api/ask", params={"q": questions[i % len(questions)]}).raise_for_status()
                sequential.append(time.perf_counter() - begin_one)
    finally:
        server.terminate()
        server.wait(timeout=30)

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{len(questions)} distinct questions (4 seeds x {len(variations(SEED_QUESTIONS[0]))} variations); server ready in {startup:.1f} s\n")
    print("| measure | value |\n|---|---|")
    print(f"| clients x requests | {args.clients} x {args.requests} ({len(latencies)} sent) |")
    print(f"| errors | {len(errors)} |")
    print(f"| answers differing from the CLI's | {len(mismatches)} |")
    print(f"| throughput | {len(latencies) / wall:.1f} requests/s |")
    print(f"| latency under load, p50 | {percentile(latencies, 0.5) * 1000:.0f} ms |")
    print(f"| latency under load, p95 | {percentile(latencies, 0.95) * 1000:.0f} ms |")
    print(f"| warm /api/ask, one client, median of 100 | {statistics.median(sequential) * 1000:.1f} ms |")
    if errors or mismatches:
        print(f"\nerrors: {errors[:5]}; mismatches: {mismatches[:5]}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
