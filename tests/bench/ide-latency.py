#!/usr/bin/env python3
"""Latency of the editor queries on documents full of citations (issue 8 §6).

For each size N: a fresh server (pull mode) opens the stress harness's "10k citations" shape
with N paragraphs (three full citations each, blank lines between), waits for its diagnostics
(so the engine's index of that version exists), then times `textDocument/documentSymbol`
(three times, the minimum counts), `textDocument/completion` after the first "Nghị quyết số "
and `workspace/symbol` for "NQ". Wall clock from the request to the last byte of the answer,
JSON serialisation and the pipe included.

  python3 tests/bench/ide-latency.py [--bin target/release/baocao-ls] [N ...]   (default 2500 5000 10000 20000)

Needs ../shared/stress/lspclient.py (set STRESS_DIR to use another folder).
"""
import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, os.environ.get("STRESS_DIR", str(REPO.parent / "shared" / "stress")))
import lspclient as L  # noqa: E402


def document(n: int) -> str:
    return "".join(
        f"Thực hiện Nghị quyết số {i}-NQ/TW ngày {1 + i % 28:02d}/{1 + i % 12:02d}/{1990 + i % 35} của Ban Chấp hành; "
        f"theo Nghị quyết số {i}-NQ/TW và Quyết định số {i}/QĐ-UBND ngày {1 + i % 30}/{1 + i % 12}/20{10 + i % 15}.\n\n"
        for i in range(n))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(REPO / "target" / "release" / "baocao-ls"))
    ap.add_argument("--limit", type=float, default=300.0)
    ap.add_argument("sizes", nargs="*", type=int, default=[2500, 5000, 10000, 20000])
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="baocao-ide-latency-"))
    (work / "root").mkdir()
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    print("| paragraphs | bytes | symbols | documentSymbol s (min of 3) | completion s | workspace/symbol s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in a.sizes:
        text = document(n)
        path = work / f"citations-{n}.md"
        path.write_text(text, encoding="utf-8", newline="")
        uri = path.as_uri()
        s = L.Server(a.bin)
        try:
            s.initialize(root=work / "root")
            s.open(uri, text)
            s.pull(uri, a.limit)
            times = []
            count = None
            for _ in range(3):
                m, dt = s.call("textDocument/documentSymbol", {"textDocument": {"uri": uri}}, a.limit)
                times.append(dt)
                if isinstance(m, dict):
                    count = len(m.get("result") or [])
            # Line 0, after "Thực hiện Nghị quyết số " (24 UTF-16 units).
            _, completion = s.call("textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 24}}, a.limit)
            _, symbols = s.call("workspace/symbol", {"query": "NQ"}, a.limit)
            print(f"| {n:,} | {len(text.encode()):,} | {count} | {min(times):.3f} | {completion:.3f} | {symbols:.3f} |", flush=True)
        finally:
            s.close()
        path.unlink()
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
