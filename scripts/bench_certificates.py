"""Benchmark certificate PDF rendering in one process (a benchmark, not a test).

    DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python scripts/bench_certificates.py [N]

Renders N certificates (default 500) with varied Vietnamese names through
certificates.pdf.render_certificate_pdf and prints the first render separately from the steady
state (median and p95), with the process's peak resident memory. ``--fresh-fonts`` makes every
render build its own FontConfiguration, to compare against the shared one. ``--warm-up`` runs
the worker start-up warm-up (settings.WORKER_WARM_UPS) first, as gunicorn and run_worker do, and
prints its time: the first render should then cost what the others do. No database needed.
"""

import argparse
import itertools
import os
import resource
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
MIDDLE = ["Thị", "Văn", "Hữu", "Đức", "Ngọc", "Thanh", "Minh", "Quốc", "Thùy", "Xuân"]
GIVEN = ["Anh", "Bình", "Châu", "Dũng", "Hạnh", "Hòa", "Khánh", "Lộc", "Mỹ", "Nguyệt", "Phượng"]
COURSES = [
    "Nền tảng chung về phòng, chống mại dâm",
    "Kỹ năng tư vấn và hỗ trợ người bán dâm hòa nhập cộng đồng",
    "Phối hợp liên ngành trong xử lý vi phạm hành chính về mại dâm",
    "Phòng ngừa mua bán người và bạo lực trên cơ sở giới",
]
ORGANISATIONS = ["Sở Tư pháp tỉnh Thừa Thiên Huế", "Phòng Tư pháp quận Hoàn Kiếm", ""]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def current_rss_mb() -> float | None:
    """Resident memory now (Linux only), to see growth that a peak alone would hide."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=500, help="certificates to render")
    parser.add_argument(
        "--fresh-fonts",
        action="store_true",
        help="build a new FontConfiguration for every render (the behaviour pdf.py avoids)",
    )
    parser.add_argument(
        "--warm-up",
        action="store_true",
        help="run the worker warm-ups first (what gunicorn's post_worker_init and run_worker do)",
    )
    args = parser.parse_args()
    if args.n < 2:
        parser.error("N must be at least 2")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.utils import translation
    from weasyprint.text.fonts import FontConfiguration

    from certificates import pdf, signing

    if args.fresh_fonts:
        pdf.font_configuration = FontConfiguration

    if args.warm_up:
        from ops.warmup import run_warm_ups

        start = time.perf_counter()
        run_warm_ups()
        print(f"  warm-up at start:  {(time.perf_counter() - start) * 1000:8.1f} ms")
    key = signing.load_private_key(signing.generate_private_key_pem())
    names = itertools.cycle(f"{f} {m} {g}" for f, m, g in itertools.product(FAMILY, MIDDLE, GIVEN))
    timings, sizes, rss_early = [], [], None
    for i in range(args.n):
        holder, course, code = next(names), COURSES[i % len(COURSES)], signing.new_code()
        issued = date(2026, 1, 1) + timedelta(days=i % 365)
        expires = issued + timedelta(days=730) if i % 3 else None
        signature = signing.sign(
            signing.canonical_payload(
                code=code,
                holder=holder,
                course=course,
                issued=issued.isoformat(),
                expires=expires.isoformat() if expires else None,
                issuer="Cục Phòng, chống tệ nạn xã hội",
            ),
            key,
        )
        url = signing.offline_link(
            base_url="https://daotao.pcmd.gov.vn", code=code, signature=signature
        )
        context = {
            "holder_name": holder,
            "staff_id": f"CB-{i:06d}" if i % 2 else "",
            "organisation_name": ORGANISATIONS[i % len(ORGANISATIONS)],
            "course_title": course,
            "course_title_en": "Foundations of prostitution prevention" if i % 2 else "",
            "issued_on": issued,
            "expires_on": expires,
            "issuer_name": "Cục Phòng, chống tệ nạn xã hội",
            "code": code,
            "verify_url": url,
            "qr_data_uri": pdf.qr_svg_data_uri(url),
            "wording_vi": "đã hoàn thành chương trình đào tạo",
            "wording_en": "has completed the training programme" if i % 2 else "",
            "signatories": [{"name": "Trần Văn Bình", "title": "Cục trưởng"}][: i % 2 + 1],
            "logo_data_uri": "",
            "signature_text": signature,
        }
        start = time.perf_counter()
        with translation.override("vi"):
            content = pdf.render_certificate_pdf(context)
        timings.append((time.perf_counter() - start) * 1000)
        sizes.append(len(content))
        if i == min(9, args.n - 1):
            rss_early = current_rss_mb()

    steady = timings[1:]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    mode = (
        "a new FontConfiguration per render" if args.fresh_fonts else "one shared FontConfiguration"
    )
    print(f"Rendered {args.n} certificates with {mode}")
    print(f"  first render:      {timings[0]:8.1f} ms")
    print(f"  median (2nd on):   {statistics.median(steady):8.1f} ms")
    print(f"  p95 (2nd on):      {percentile(steady, 0.95):8.1f} ms")
    print(f"  mean (2nd on):     {statistics.fmean(steady):8.1f} ms")
    print(f"  median PDF size:   {statistics.median(sizes) / 1024:8.1f} KiB")
    print(f"  peak RSS:          {peak_mb:8.1f} MB (ru_maxrss)")
    rss_end = current_rss_mb()
    if rss_early is not None and rss_end is not None:
        print(f"  RSS after 10 / {args.n}: {rss_early:.1f} MB / {rss_end:.1f} MB")


if __name__ == "__main__":
    main()
