"""QR codes as inline SVG, drawn by segno."""

import segno


def svg(data: str, *, scale: int = 8) -> str:
    """An SVG element (no XML declaration, no fixed size); the page gives it its label."""
    code = segno.make(data, error="m", micro=False)
    # omitsize: a viewBox instead of a fixed size, so CSS scales the whole code to its box.
    return code.svg_inline(scale=scale, border=2, dark="#000", light="#fff", omitsize=True)
