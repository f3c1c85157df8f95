"""Time the CLI as users meet it: first build, cold `ask`, cold `papers`/`stats`, warm per-question batch time.

Cold figures are also given as ratios to the import floor, `python -c "import networkx, rdflib"`, timed
in the same run; the warm question as a ratio to the encoder alone (the ONNX export embedding the same
questions one at a time in a warm process).

Run:  .venv/bin/python bench/cli_latency.py [--repeat 5] [--batch-size 200]
Prints a Markdown table; docs/performance.md quotes it with the machine it ran on.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROGRAM = str(Path(sys.executable).with_name("modelatlas"))
VARIATIONS = [
    "I enlarged a small and noisy image by 8x, and the result looked impressively natural. How does AI manage to generate such clean results from very limited input?",
    "I took some grainy indoor photos on an old phone, and the AI made them look bright and clean. How does it reduce noise so well without losing detail?",
    "how do i upscale a tiny thumbnail to poster size",
    "my vacation pictures are blurry because my hand shook, can AI fix that?",
    "Can an app tell if my mole is cancer?",
    "How can I remove the background from a photo of my dog, keeping the fur?",
    "I generated a studio portrait and the skin pores looked real. How?",
    "What's the best recipe for sourdough bread?",
]


def timed(args: list[str], home: Path, stdin: str | None = None) -> tuple[float, int]:
    """Wall seconds of one run of the program, and its peak resident memory in MiB."""
    env = {**os.environ, "MODELATLAS_HOME": str(home)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([PROGRAM, *args], env=env, input=stdin, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) // 1024
    return seconds, peak


def median_of(repeat: int, args: list[str], home: Path) -> float:
    return statistics.median(timed(args, home)[0] for _ in range(repeat))


def import_floor(repeat: int) -> float:
    """Median seconds of `python -c "import networkx, rdflib"`: what any graph program pays to start."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import networkx, rdflib"], check=True)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


ENCODER_ALONE = """
import sys, time
from pathlib import Path
from modelatlas.query.onnx_encoder import OnnxEncoder, encoder_path
questions = Path(sys.argv[2]).read_text(encoding="utf-8").splitlines()
encoder = OnnxEncoder(encoder_path(Path(sys.argv[1]) / "build"))
encoder.encode(questions[:1])
start = time.perf_counter()
for question in questions:
    encoder.encode([question])
print((time.perf_counter() - start) / len(questions))
"""


def encoder_alone(home: Path, questions: Path) -> float:
    """Seconds per question for the exported encoder alone, warm, one question at a time."""
    done = subprocess.run([sys.executable, "-c", ENCODER_ALONE, str(home), str(questions)], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


ENCODER_BULK = """
import sys, time
from pathlib import Path
import orjson
from modelatlas.query.onnx_encoder import OnnxEncoder, encoder_path
build = Path(sys.argv[1]) / "build"
meta = orjson.loads((build / "index.json").read_bytes())
texts = sorted(set(meta["entries"]["texts"]) | set(meta["sentences"]["texts"]))
encoder = OnnxEncoder(encoder_path(build))
encoder.encode(texts[:32])
start = time.perf_counter()
for first in range(0, len(texts), 256):  # as the build embeds them
    encoder.encode(texts[first:first + 256])
print(len(texts), time.perf_counter() - start)
"""


def encoder_bulk(home: Path) -> tuple[int, float]:
    """The catalog's distinct index and sentence texts, and the seconds the exported encoder alone takes to
    embed them, warm, in the build's batches: what the first build's embedding would cost at the encoder's own rate."""
    done = subprocess.run([sys.executable, "-c", ENCODER_BULK, str(home)], capture_output=True, text=True, check=True)
    count, seconds = done.stdout.split()
    return int(count), float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=200)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        first_build, peak = timed(["ask", VARIATIONS[0]], home)
        cold_ask = median_of(options.repeat, ["ask", VARIATIONS[0]], home)
        cold_papers = median_of(options.repeat, ["papers", "SISR-Any-LIIF-RDN"], home)
        cold_stats = median_of(options.repeat, ["stats"], home)
        batch_file = home / "batch.txt"
        questions = [VARIATIONS[i % len(VARIATIONS)] for i in range(options.batch_size)]
        batch_file.write_text("\n".join(questions) + "\n", encoding="utf-8")
        one_file = home / "one.txt"
        one_file.write_text(VARIATIONS[0] + "\n", encoding="utf-8")
        single, _ = timed(["ask", "--json", "--batch", str(one_file)], home)
        batch, batch_peak = timed(["ask", "--json", "--batch", str(batch_file)], home)
        warm = (batch - single) / (options.batch_size - 1)
        encoder = encoder_alone(home, batch_file)
        texts, bulk = encoder_bulk(home)
        floor = import_floor(options.repeat)
        # Incremental ingest: one new metafile (a zoo file with its model names changed), then the next ask.
        metafile = home / "metafile.yml"
        zoo_file = REPO / "data" / "openmmlab" / "mmagic" / "configs" / "liif" / "metafile.yml"
        metafile.write_text(zoo_file.read_text(encoding="utf-8").replace("liif-", "my-liif-"), encoding="utf-8")
        ingest_one, _ = timed(["ingest", str(metafile)], home)
        ask_after_ingest, _ = timed(["ask", VARIATIONS[0]], home)

    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print()
    print("| measurement | figure |")
    print("|---|---|")
    print(f"| first `ask` on an empty home (parse, build graph, embed catalog, answer) | {first_build:.2f} s |")
    print(f"| the encoder alone on the catalog's {texts:,} distinct texts, warm, in the build's batches | {bulk:.1f} s "
          f"(the first build runs at {bulk / first_build:.2f}x the encoder's rate) |")
    print(f"| import floor, `python -c \"import networkx, rdflib\"` (median of {options.repeat}) | {floor:.2f} s |")
    print(f"| cold `ask` with the saved build (median of {options.repeat}) | {cold_ask:.2f} s ({cold_ask / floor:.1f}x the floor) |")
    print(f"| cold `papers SISR-Any-LIIF-RDN` (median of {options.repeat}) | {cold_papers:.2f} s ({cold_papers / floor:.1f}x) |")
    print(f"| cold `stats` (median of {options.repeat}) | {cold_stats:.2f} s ({cold_stats / floor:.1f}x) |")
    print(f"| warm per question in `ask --batch` ({options.batch_size} questions) | {warm * 1000:.1f} ms ({warm / encoder:.1f}x the encoder alone) |")
    print(f"| the encoder alone, per question (warm, one at a time) | {encoder * 1000:.1f} ms |")
    print(f"| `ingest` of one new metafile into the saved catalog | {ingest_one:.2f} s |")
    print(f"| the `ask` after it (index updated, only the new texts embedded) | {ask_after_ingest:.2f} s |")
    print(f"| peak memory (largest of all runs) | {max(peak, batch_peak)} MiB |")


if __name__ == "__main__":
    main()
