"""Certificate PDFs with WeasyPrint, and the QR code that links each one to its verification."""

import base64
import io
import math
import threading

import segno
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

TEMPLATE_NAME = "certificates/certificate_pdf.html"

# One FontConfiguration for the whole process, made on first use. Each one loads fontconfig's
# font list and a Pango font map and keeps its own caches of shaped fonts. Reuse was measured at
# ~25 ms per certificate in steady state, against ~35 ms and memory that kept growing when every
# render made its own. scripts/bench_certificates.py (--fresh-fonts for the comparison) shows the
# same on a busy 2-core machine, slower in absolute terms: median 107 vs 133 ms, and resident
# memory flat at ~174 MB over 500 renders vs climbing from 193 to 270 MB over 300.
_font_config: FontConfiguration | None = None
# Pango font maps and WeasyPrint's layout caches are not thread-safe, so renders sharing the
# configuration take turns. A render takes well under a second, and certificates are issued one
# at a time from a background task, so threaded servers barely notice.
_render_lock = threading.Lock()


def font_configuration() -> FontConfiguration:
    """The process's shared font configuration; callers must hold ``_render_lock``."""
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def warm_up() -> None:
    """Pay the set-up of a first certificate (fontconfig's font list, Pango's font map and
    shaped faces, the compiled template) when a worker starts rather than in the first
    certificate it issues: render one sample and throw it away. Named in
    settings.WORKER_WARM_UPS, which gunicorn's post_worker_init and run_worker call."""
    import datetime

    render_certificate_pdf(
        {
            "holder_name": "Nguyễn Thị Minh Anh",
            "course_title": "Nền tảng chung về phòng, chống mại dâm",
            "code": "PCMD-0000-0000",
            "issued_on": datetime.date(2026, 1, 1),
            "issuer_name": "Chương trình phòng, chống mại dâm",
            "qr_data_uri": qr_svg_data_uri("https://example.invalid/verify/PCMD-0000-0000"),
        }
    )


def qr_svg_data_uri(url: str) -> str:
    """A vector QR code: sharp at any print size, and no image library needed."""
    qr = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    # omitsize gives a viewBox instead of a fixed size, so CSS sets the printed size exactly
    # (32 mm: modules of about 0.55 mm). A 2-module border keeps the modules large; the blank
    # space around the image on the page makes up the rest of the quiet zone.
    qr.save(buffer, kind="svg", scale=4, border=2, xmldecl=False, omitsize=True)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _url_fetcher() -> URLFetcher:
    # Everything the template needs arrives as data: URIs. Refusing other schemes means a logo
    # URL or a stray link in an admin-edited field can never make the renderer read local
    # files or call out to the network.
    return URLFetcher(allowed_protocols=("data",))


# ---- Fitting long text ------------------------------------------------------------------------
# The page is fixed; names, titles and wording are not. Rather than let long text run into the
# QR code and signatures, estimate the height of the centred text and shrink it as one block.
# The estimate is deliberately pessimistic (DejaVu is a wide face); it was checked against
# WeasyPrint's own layout for model-maximum lengths of every field at once.
_PT_MM = 25.4 / 72
_TEXT_WIDTH_MM = 236  # inside the frame's padding
_COURSE_WIDTH_MM = 216  # the course title has 10 mm side margins
_SIGNATORY_WIDTH_MM = 54
_FRAME_HEIGHT_MM = 176  # 182 mm page area less the two borders
_ABOVE_BODY_MM = 6 + 16.5  # frame padding and a masthead with a one-line issuer, no logo
_LOGO_MM = 16.5
_ISSUER_WIDTH_MM = 100
_GAP_MM = 2
_BODY_SCALES = (1.0, 0.92, 0.84, 0.76, 0.68, 0.6, 0.52)
HOLDER_LONG_CHARS = 40
COURSE_LONG_CHARS = 70


def _block_mm(text: str, *, size_pt: float, em_per_char: float, width_mm: float, leading=1.3):
    if not text:
        return 0.0
    lines = max(1, math.ceil(len(text) * em_per_char * size_pt * _PT_MM / width_mm))
    return lines * size_pt * leading * _PT_MM


def _foot_mm(context: dict) -> float:
    """The QR column or the tallest signatory column, plus the verification lines below."""
    signatory = max(
        (
            _block_mm(
                s.get("title", ""), size_pt=9.5, em_per_char=0.75, width_mm=_SIGNATORY_WIDTH_MM
            )
            + 19
            + _block_mm(s.get("name", ""), size_pt=11, em_per_char=0.68, width_mm=50)
            for s in context.get("signatories") or []
        ),
        default=0.0,
    )
    check = _block_mm(
        "Kiểm tra tính xác thực tại: " + str(context.get("verify_url", "")),
        size_pt=7.5,
        em_per_char=0.62,
        width_mm=_TEXT_WIDTH_MM,
    )
    # The digital signature's line and, with a logo, the logo's digest (5.5 pt monospace).
    small_print = 3 + (2.6 if context.get("logo_sha256") else 0)
    return 4 + max(32 + 7, signatory) + 4 + check + small_print


def _above_body_mm(context: dict) -> float:
    """The masthead grows with a logo and with an issuer name that wraps."""
    issuer = _block_mm(
        context.get("issuer_name", ""), size_pt=9.5, em_per_char=0.75, width_mm=_ISSUER_WIDTH_MM
    )
    extra_lines = max(0.0, issuer - 9.5 * 1.3 * _PT_MM)
    return _ABOVE_BODY_MM + extra_lines + (_LOGO_MM if context.get("logo_data_uri") else 0)


def _bilingual(context: dict) -> bool:
    return bool(context.get("wording_en") or context.get("course_title_en"))


def _body_mm(context: dict, *, base_pt: float) -> float:
    bilingual = _bilingual(context)
    holder_em = 1.9 if len(context.get("holder_name", "")) > HOLDER_LONG_CHARS else 2.6
    course_em = 1.4 if len(context.get("course_title", "")) > COURSE_LONG_CHARS else 1.8
    particulars = " · ".join(
        filter(None, [context.get("staff_id", ""), context.get("organisation_name", "")])
    )
    heights = [
        0.5 * 3 * base_pt * _PT_MM + 3 * base_pt * 1.1 * _PT_MM,  # title
        base_pt * 0.9 * 1.3 * _PT_MM if bilingual else 0,
        0.9 * 1.2 * base_pt * _PT_MM + 1.2 * base_pt * 1.3 * _PT_MM,  # "Chứng nhận ông/bà"
        _block_mm(
            context.get("holder_name", ""),
            size_pt=holder_em * base_pt,
            em_per_char=0.72,
            width_mm=_TEXT_WIDTH_MM,
            leading=1.15,
        ),
        _block_mm(
            ("Mã cán bộ: Đơn vị công tác: " + particulars) if particulars else "",
            size_pt=base_pt,
            em_per_char=0.62,
            width_mm=_TEXT_WIDTH_MM,
        ),
        0.7 * 1.2 * base_pt * _PT_MM,
        _block_mm(
            context.get("wording_vi") or "đã hoàn thành khóa học",
            size_pt=1.2 * base_pt,
            em_per_char=0.58,
            width_mm=_TEXT_WIDTH_MM,
        ),
        _block_mm(
            context.get("wording_en", ""),
            size_pt=0.85 * base_pt,
            em_per_char=0.58,
            width_mm=_TEXT_WIDTH_MM,
        ),
        _block_mm(
            context.get("course_title", ""),
            size_pt=course_em * base_pt,
            em_per_char=0.72,
            width_mm=_COURSE_WIDTH_MM,
            leading=1.2,
        ),
        _block_mm(
            context.get("course_title_en", ""),
            size_pt=0.85 * base_pt,
            em_per_char=0.58,
            width_mm=_COURSE_WIDTH_MM,
        ),
        (1 + 1.05 * 1.3 * 2) * base_pt * _PT_MM,  # dates, which may wrap once
    ]
    return sum(heights)


def _layout(context: dict) -> dict:
    """Flags for the template, chiefly the largest body text that leaves the foot clear."""
    budget = _FRAME_HEIGHT_MM - _above_body_mm(context) - _GAP_MM - _foot_mm(context)
    scale = next(
        (s for s in _BODY_SCALES if _body_mm(context, base_pt=10 * s) <= budget),
        _BODY_SCALES[-1],
    )
    return {
        # A string: Django would print a float with the Vietnamese decimal comma.
        "body_font_pt": f"{10 * scale:.2f}",
        "bilingual": _bilingual(context),
        "holder_long": len(context.get("holder_name", "")) > HOLDER_LONG_CHARS,
        "course_long": len(context.get("course_title", "")) > COURSE_LONG_CHARS,
    }


def render_certificate_pdf(context: dict) -> bytes:
    """One A4 landscape page; see the template for the context it expects."""
    html = render_to_string(TEMPLATE_NAME, {**context, **_layout(context)})
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher())
    with _render_lock:
        return document.write_pdf(font_config=font_configuration())


def render_document_pdf(template_name: str, context: dict) -> bytes:
    """Any other signed document (e.g. HR's training records) rendered the same way: the
    shared font configuration, the render lock and a fetcher that allows data: URIs only."""
    html = render_to_string(template_name, context)
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher())
    with _render_lock:
        return document.write_pdf(font_config=font_configuration())
