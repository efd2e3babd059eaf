#!/usr/bin/env python3
"""Writes documents without a single line break, the case where a whole document is one block
(issue 8 / issue 12: no rule may be quadratic in block or document size).

  python3 tests/bench/one-line-docs.py OUT_DIR [--citations N ...]

Writes into OUT_DIR:
  citations-N.md  N paragraphs citing documents, all on one line: each paragraph a full Party
                  citation with date and issuer, a full state plan citation, a short mention
                  ("NQ 12", "Kế hoạch số 45") and, every fifth one, a meeting name;
  t3-citations-N.md  the stress harness's "10k citations" paragraphs (t3_hostile_docs.py), N of
                  them, joined with spaces instead of blank lines;
  report-1m.md    about 1 MB of ordinary report text (the docs/examples drafts and
                  ../shared/corpus, as the stress harness's "1MB-single-line" builds it) with
                  every line break replaced by a space.
Then time e.g. `target/release/baocao-ls check --format json OUT_DIR/citations-10000.md`.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def citations(n: int) -> str:
    parts = []
    for i in range(n):
        k = 1 + i % 997
        parts.append(
            f"Nghị quyết số {k}-NQ/TW ngày {1 + i % 28:02d}/{1 + i % 12:02d}/{2000 + i % 25} của Bộ Chính trị về công tác cán bộ, "
            f"theo Kế hoạch số {45 + i % 500}/KH-UBND ngày {1 + i % 28}/{1 + i % 12}/20{10 + i % 15} của UBND tỉnh, "
            f"NQ {k} và Kế hoạch số {45 + i % 500} được triển khai"
            + (f"; Nghị quyết Trung ương {1 + i % 12} khóa XII đã được quán triệt" if i % 5 == 0 else "")
            + ". ")
    return "".join(parts)


def t3_citations(n: int) -> str:
    return " ".join(
        f"Thực hiện Nghị quyết số {i}-NQ/TW ngày {1 + i % 28:02d}/{1 + i % 12:02d}/{1990 + i % 35} của Ban Chấp hành; "
        f"theo Nghị quyết số {i}-NQ/TW và Quyết định số {i}/QĐ-UBND ngày {1 + i % 30}/{1 + i % 12}/20{10 + i % 15}." for i in range(n))


def report(target: int) -> str:
    shared = Path(os.environ.get("BAOCAO_SHARED", REPO.parent / "shared"))
    sys.path.insert(0, str(shared / "stress"))
    os.environ.setdefault("BAOCAO_REPO", str(REPO))
    import lspclient  # noqa: E402  (the stress harness's corpus, the same text as its "1MB-single-line")

    return lspclient.corpus_text(target).replace("\r", " ").replace("\n", " ")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--citations", type=int, nargs="*", default=[2_500, 5_000, 10_000])
    ap.add_argument("--report-bytes", type=int, default=1_000_000)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    for n in a.citations:
        (a.out / f"citations-{n}.md").write_text(citations(n), encoding="utf-8", newline="")
        (a.out / f"t3-citations-{n}.md").write_text(t3_citations(n), encoding="utf-8", newline="")
    (a.out / "report-1m.md").write_text(report(a.report_bytes), encoding="utf-8", newline="")
    for p in sorted(a.out.glob("*.md")):
        print(p, p.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
