#!/usr/bin/env python3
"""Is any check quadratic on a document without line breaks? (issue 8 / issue 12)

For each shape below, writes one line of about SIZE bytes and one of 4 × SIZE bytes (a unit
repeated with varying numbers, no line break at all), times `baocao-ls check --format json` on
both and prints the ratio of the CPU times: about 4 for a linear pass, about 16 for a quadratic
one. Flags ratios above 6.

  python3 tests/bench/one-line-scaling.py [--bin target/release/baocao-ls] [--size 250000] [--only SHAPE …]

With `--bin target/release/examples/analyse_timed` (`cargo build --release -p baocao-core
--example analyse_timed`) the core is timed in-process: a full analysis and one re-analysis
after an edit, without the CLI's JSON (which is linear in the findings but large). The
findings column is then empty.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent


def corpus(n: int) -> str:
    shared = Path(os.environ.get("BAOCAO_SHARED", REPO.parent / "shared"))
    sys.path.insert(0, str(shared / "stress"))
    os.environ.setdefault("BAOCAO_REPO", str(REPO))
    import lspclient  # noqa: E402

    return lspclient.corpus_text(n).replace("\r", " ").replace("\n", " ")


# Each shape: i -> one unit of text (numbers vary with i so no two units are the same).
SHAPES = {
    "citations": lambda i: (
        f"Nghị quyết số {1 + i % 997}-NQ/TW ngày {1 + i % 28:02d}/{1 + i % 12:02d}/{2000 + i % 25} của Bộ Chính trị về công tác cán bộ, "
        f"theo Kế hoạch số {45 + i % 500}/KH-UBND ngày {1 + i % 28}/{1 + i % 12}/20{10 + i % 15} của UBND tỉnh, "
        f"NQ {1 + i % 997} và Kế hoạch số {45 + i % 500} được triển khai"
        + (f"; Nghị quyết Trung ương {1 + i % 12} khóa XII đã được quán triệt" if i % 5 == 0 else "") + ". "),
    "same-citation": lambda i: f"Kết luận số 21-KL/TW ngày {1 + i % 28}/{1 + i % 12}/2021 và Kết luận số 21, KL 21. ",
    "same-number-other-types": lambda i: f"Quyết định số 12/QĐ-UBND ngày {1 + i % 28}/{1 + i % 12}/20{10 + i % 15}, Nghị quyết số 12. ",
    "meetings": lambda i: (f"Nghị quyết Trung ương {1 + i % 13} khóa {['X', 'XI', 'XII', 'XIII'][i % 4]}, "
                           f"Nghị quyết Đại hội {['XI', 'XII', 'XIII', 'XIX'][i % 4]} của Đảng bộ tỉnh, "
                           f"Nghị quyết số {i % 90}-NQ/TW của Hội nghị Trung ương {1 + i % 13} khóa XII. "),
    "weekdays": lambda i: f"Thứ {['Hai', 'Ba', 'Tư', 'Năm', 'Sáu', 'Bảy'][i % 6]}, ngày {1 + i % 28}/{1 + i % 12}/2026 họp; vào thứ ba ngày {1 + i % 30}/{1 + i % 12}/2025. ",
    "dates-invalid": lambda i: f"ngày {31 + i % 40}/{13 + i % 5}/2021 ",
    "dates-mixed": lambda i: f"ngày {1 + i % 28:02d}/{1 + i % 12:02d}/2022 và ngày {1 + i % 28} tháng {1 + i % 12} năm 2021, ",
    "counted-lists": lambda i: f"Ban Thường vụ xác định {3 + i % 2} nhiệm vụ trọng tâm: tăng cường công tác {i}; đổi mới phương thức; nâng cao chất lượng. ",
    "counted-parens": lambda i: f"hoàn thành các chỉ tiêu ({3 + i % 20} chỉ tiêu) đề ra năm {1990 + i % 30}, ",
    "totals": lambda i: f"Tổng số {100 + i} hồ sơ, trong đó {60 + i} hồ sơ đạt, {40 + i % 3} hồ sơ chưa đạt (chiếm {i % 100}%). ",
    "trong-do": lambda i: f", trong đó {1_000_000 - i} hồ sơ",
    "fractions": lambda i: f"đạt {i % 40}/40 chỉ tiêu, ",
    "percents": lambda i: f"{i % 100} hồ sơ (chiếm {i % 100}%), ",
    "ratios": lambda i: f"từ {40 + i % 50},2 lên {61 + i % 7},5 triệu USD, tăng {i % 90},6%; {5 + i % 100}.360/8.233 xã (chiếm {i % 99},1%), ",
    "number-words": lambda i: "hai mươi tám chỉ tiêu, ",
    "abbreviations": lambda i: f"Ủy ban nhân dân (UBND{i}) và ABC{i:05d}, HĐND{i % 50} ",
    "tone-mixed": lambda i: ["hòa ", "hoà ", "ủy ", "uỷ ", "thủy ", "thuỷ "][i % 6] + f"{i} ",
    "resolution-names": lambda i: f"Nghị quyết Đại hội {['XI', 'XII', 'XIII', 'XIX'][i % 4]}, NQ Đại hội XI, NQTW{1 + i % 9}, ",
    "term-typos": lambda i: f"Đãng bộ quán chiệt, Thực hiện Thực hiện lần {i}, Ban chấp hành khiến trách. ",
    "nfd": lambda i: unicodedata.normalize("NFD", f"Đảng bộ tỉnh lãnh đạo thực hiện {i} nhiệm vụ. "),
    "eth": lambda i: f"Ðảng bộ tỉnh {i}, ",
    "tcvn3": lambda i: f"Ban ChÊp hµnh §¶ng bé tØnh ®· häp {i}. ",
    "vni": lambda i: f"Ban Chaáp haønh Ñaûng boä tænh ñaõ hoïp {i}. ",
    "combining-after-digits": lambda i: f"{i}\u0301\u0300 chỉ tiêu, ",
    "markdown-emphasis": lambda i: f"**{i} chỉ tiêu** _đạt_ [liên kết](http://x.vn/{i}) <!-- c{i} --> ",
}


def text_of(shape: str, size: int) -> str:
    if shape == "report":
        return corpus(size)
    if shape == "trong-do":
        unit = SHAPES[shape]
        parts, n, i = ["Tổng số 1.000.000 hồ sơ"], 0, 1
        while n < size:
            parts.append(unit(i))
            n += len(parts[-1].encode())
            i += 1
        return "".join(parts) + "."
    unit = SHAPES[shape]
    parts, n, i = [], 0, 0
    while n < size:
        parts.append(unit(i))
        n += len(parts[-1].encode())
        i += 1
    return "".join(parts)


def cpu_of(binary: str, path: Path) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The in-process timer (examples/analyse_timed.rs) leaves out the CLI's JSON of the findings.
    args = [binary, str(path)] if binary.endswith("analyse_timed") else [binary, "check", "--format", "json", str(path)]
    p = subprocess.run(args, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode not in (0, 1):
        raise SystemExit(f"{path}: exit {p.returncode}: {p.stderr[-300:]!r}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), p.stdout.count(b'"code"')


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=str(REPO / "target/release/baocao-ls"))
    ap.add_argument("--size", type=int, default=250_000)
    ap.add_argument("--only", nargs="*")
    a = ap.parse_args()
    shapes = a.only or ["report", *SHAPES]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'shape':<24} {'bytes':>9} {'cpu s':>7} {'4x cpu s':>8} {'ratio':>6}  findings")
        for shape in shapes:
            row = []
            for size in (a.size, 4 * a.size):
                path = Path(tmp) / f"{shape}-{size}.md"
                text = text_of(shape, size)
                assert "\n" not in text and "\r" not in text
                path.write_text(text, encoding="utf-8", newline="")
                row.append(cpu_of(a.bin, path))
            (t1, n1), (t4, n4) = row
            ratio = t4 / max(t1, 0.005)
            flag = "  <-- superlinear" if ratio > 6 and t4 > 0.2 else ""
            print(f"{shape:<24} {a.size:>9} {t1:>7.2f} {t4:>8.2f} {ratio:>6.1f}  {n1} / {n4}{flag}", flush=True)


if __name__ == "__main__":
    main()
