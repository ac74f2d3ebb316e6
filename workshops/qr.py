"""QR codes as inline SVG, drawn by segno."""

import segno


def svg(data: str, *, scale: int = 8) -> str:
    """An SVG element (no XML declaration) with a title for screen readers left to the page."""
    code = segno.make(data, error="m", micro=False)
    return code.svg_inline(scale=scale, border=2, dark="#000", light="#fff")
