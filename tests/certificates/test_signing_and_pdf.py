"""Certificate signatures, codes, offline links and the PDF: Django settings, but no database.

The two fixtures below shadow the project-wide autouse fixtures in tests/conftest.py, the first
of which needs a database; nothing here touches one.
"""

import base64
import re
import shutil
import subprocess
import unicodedata
from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from certificates import pdf, signing


@pytest.fixture(autouse=True)
def _record_database():
    """Shadows tests/conftest.py's session-wide database probe: nothing here touches the DB."""


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Shadows tests/conftest.py's cache reset: nothing here uses the cache."""


HOLDER = "Nguyễn Thị Minh Anh"
COURSE = "Nền tảng chung về phòng, chống mại dâm"
ISSUER = "Cục Phòng, chống tệ nạn xã hội"


@pytest.fixture
def private_key():
    return signing.load_private_key(signing.generate_private_key_pem())


@pytest.fixture
def fields():
    return {
        "code": signing.new_code(),
        "holder": HOLDER,
        "course": COURSE,
        "issued": "2026-11-29",
        "expires": "2028-11-29",
        "issuer": ISSUER,
    }


@pytest.fixture
def signing_key(settings):
    settings.CERTIFICATE_SIGNING_KEY = signing.generate_private_key_pem()
    return settings.CERTIFICATE_SIGNING_KEY


# --------------------------------------------------------------------------------------------
# Canonical payload and signatures
# --------------------------------------------------------------------------------------------


def test_payload_is_compact_ordered_utf8_json(fields):
    payload = signing.canonical_payload(**fields)
    expected = (
        '{"v":1,"code":"CODE","holder":"Nguyễn Thị Minh Anh",'
        '"course":"Nền tảng chung về phòng, chống mại dâm","issued":"2026-11-29",'
        '"expires":"2028-11-29","issuer":"Cục Phòng, chống tệ nạn xã hội"}'
    )
    assert payload == expected.replace("CODE", fields["code"]).encode("utf-8")


def test_payload_without_expiry_is_null(fields):
    payload = signing.canonical_payload(**{**fields, "expires": None})
    assert b'"expires":null' in payload
    assert signing.canonical_payload(**{**fields, "expires": " "}) == payload


def test_payload_refuses_non_iso_dates_and_bad_codes(fields):
    with pytest.raises(ValueError):
        signing.canonical_payload(**{**fields, "issued": "29/11/2026"})
    with pytest.raises(ValueError):
        signing.canonical_payload(**{**fields, "expires": "2026-02-30"})
    with pytest.raises(ValueError):
        signing.canonical_payload(**{**fields, "code": "not-a-code"})


def test_genuine_payload_verifies(fields, private_key):
    payload = signing.canonical_payload(**fields)
    signature = signing.sign(payload, private_key)
    assert re.fullmatch(r"[A-Za-z0-9_-]{86}", signature)
    assert signing.verify(payload, signature, private_key.public_key())


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("code", None),
        ("holder", "Nguyễn Thị Minh Ánh"),
        ("course", "Nền tảng chung về phòng, chống ma túy"),
        ("issued", "2026-11-28"),
        ("expires", "2029-11-29"),
        ("expires", None),
        ("issuer", "Sở Tư pháp Hà Nội"),
    ],
)
def test_changing_any_field_breaks_the_signature(fields, private_key, field, value):
    signature = signing.sign(signing.canonical_payload(**fields), private_key)
    if field == "code":
        value = signing.new_code()
    tampered = signing.canonical_payload(**{**fields, field: value})
    assert not signing.verify(tampered, signature, private_key.public_key())


def test_signature_from_another_key_fails(fields, private_key):
    payload = signing.canonical_payload(**fields)
    other = signing.load_private_key(signing.generate_private_key_pem())
    assert not signing.verify(payload, signing.sign(payload, other), private_key.public_key())


@pytest.mark.parametrize(
    "garble",
    [
        lambda s: s[:-1],
        lambda s: s[:40],
        lambda s: s + "A",
        lambda s: s + "==",
        lambda s: ("B" if s[0] != "B" else "C") + s[1:],
        lambda s: s[:-1] + ("B" if s[-1] == "A" else "A"),  # the last character's spare bits
        lambda s: s.replace("-", "+").replace("_", "/") + "x",
        lambda s: "!" * 86,
        lambda s: "é" * 86,
        lambda s: "",
        lambda s: None,
        lambda s: 12345,
    ],
)
def test_garbled_signature_is_false_not_an_error(fields, private_key, garble):
    payload = signing.canonical_payload(**fields)
    signature = signing.sign(payload, private_key)
    assert not signing.verify(payload, garble(signature), private_key.public_key())


def test_padded_or_standard_base64_is_refused(fields, private_key):
    # Only the exact text sign() produces is accepted, so a signature has one spelling.
    payload = signing.canonical_payload(**fields)
    raw = private_key.sign(payload)
    for text in (base64.urlsafe_b64encode(raw).decode(), base64.b64encode(raw).decode()):
        if text != signing.sign(payload, private_key):
            assert not signing.verify(payload, text, private_key.public_key())


def test_nfd_and_nfc_text_verify_alike(fields, private_key):
    nfc = signing.canonical_payload(**fields)
    signature = signing.sign(nfc, private_key)
    nfd_fields = {
        **fields,
        "holder": "  " + unicodedata.normalize("NFD", HOLDER) + "\n",
        "course": unicodedata.normalize("NFD", COURSE),
        "issuer": unicodedata.normalize("NFD", ISSUER) + " ",
    }
    assert nfd_fields["holder"].strip() != HOLDER  # the bytes really do differ
    nfd = signing.canonical_payload(**nfd_fields)
    assert nfd == nfc
    assert signing.verify(nfd, signature, private_key.public_key())


def test_date_objects_sign_like_iso_strings(fields):
    as_dates = {**fields, "issued": date(2026, 11, 29), "expires": date(2028, 11, 29)}
    assert signing.canonical_payload(**as_dates) == signing.canonical_payload(**fields)


# --------------------------------------------------------------------------------------------
# Keys and settings
# --------------------------------------------------------------------------------------------


def test_public_key_round_trips_through_pem(fields, private_key):
    public = signing.load_public_key(signing.public_key_pem(private_key))
    payload = signing.canonical_payload(**fields)
    assert signing.verify(payload, signing.sign(payload, private_key), public)


def test_bad_key_material_is_a_value_error():
    with pytest.raises(ValueError):
        signing.load_private_key("not a key")
    with pytest.raises(ValueError):
        signing.load_public_key("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")


def test_platform_key_comes_from_settings_and_is_cached(signing_key):
    key = signing.platform_private_key()
    assert signing.public_key_pem(key) == signing.public_key_pem(
        signing.load_private_key(signing_key)
    )
    assert signing.platform_private_key() is key


@pytest.mark.parametrize("value", ["", "   ", None])
def test_missing_signing_key_names_the_command(settings, value):
    settings.CERTIFICATE_SIGNING_KEY = value
    with pytest.raises(ImproperlyConfigured, match="generate_signing_key"):
        signing.platform_private_key()


def test_unset_signing_key_names_the_command(settings):
    if hasattr(settings, "CERTIFICATE_SIGNING_KEY"):
        del settings.CERTIFICATE_SIGNING_KEY
    with pytest.raises(ImproperlyConfigured, match="generate_signing_key"):
        signing.platform_private_key()


def test_unusable_signing_key_is_improperly_configured(settings):
    settings.CERTIFICATE_SIGNING_KEY = (
        "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----"
    )
    with pytest.raises(ImproperlyConfigured, match="generate_signing_key"):
        signing.platform_private_key()


def test_generate_signing_key_prints_a_loadable_key(capsys):
    call_command("generate_signing_key")
    out, err = capsys.readouterr()
    key = signing.load_private_key(out)
    assert out.startswith("-----BEGIN PRIVATE KEY-----")
    assert signing.load_public_key(err)
    assert err == signing.public_key_pem(key)


def test_generate_signing_key_env_line_loads_as_setting(capsys, settings):
    call_command("generate_signing_key", "--env")
    out, err = capsys.readouterr()
    line = out.strip()
    assert "\n" not in line
    match = re.fullmatch(r'CERTIFICATE_SIGNING_KEY="(.+)"', line)
    assert match and "\\n" in match[1]
    # What an .env reader that does not unescape would hand to settings still loads.
    settings.CERTIFICATE_SIGNING_KEY = match[1]
    key = signing.platform_private_key()
    assert signing.public_key_pem(key) == err
    # And so does the unescaped form.
    assert signing.public_key_pem(signing.load_private_key(match[1].replace("\\n", "\n"))) == err


# --------------------------------------------------------------------------------------------
# Codes and offline links
# --------------------------------------------------------------------------------------------

CODE_RE = re.compile(r"[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}-[0-9A-HJKMNP-TV-Z]{6}")


def test_new_code_has_at_least_128_bits():
    code = signing.new_code()
    assert CODE_RE.fullmatch(code)
    compact = code.replace("-", "")
    assert len(compact) == 26 and len(compact) * 5 >= 128


def test_new_codes_differ_and_use_the_whole_alphabet():
    codes = {signing.new_code() for _ in range(200)}
    assert len(codes) == 200
    used = set("".join(codes).replace("-", ""))
    assert used == set(signing.CROCKFORD)


def test_normalise_code_accepts_what_people_type():
    code = signing.new_code()
    compact = code.replace("-", "")
    assert signing.normalise_code(code) == code
    assert signing.normalise_code(compact) == code
    assert signing.normalise_code(compact.lower()) == code
    assert signing.normalise_code(" ".join(compact[i : i + 4] for i in range(0, 26, 4))) == code
    assert signing.normalise_code(f"  {code.lower()}\n") == code
    assert signing.normalise_code(code.replace("-", "–")) == code  # an en dash from a phone


def test_normalise_code_maps_misread_letters():
    assert signing.normalise_code("OOOOO-IIIII-LLLLL-ooooo-iiiiil") == (
        "00000-11111-11111-00000-111111"
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ABCDE",
        "ABCDE-FGHJK-MNPQR-STVWX-YZ01234",  # 27 characters
        "ABCDE-FGHJK-MNPQR-STVWX-YZ012",  # 25
        "ABCDE-FGHJK-MNPQR-STVWX-YZ012U",  # U is not Crockford
        "ABCDE-FGHJK-MNPQR-STVWX-YZ012!",
        "ABCDE-FGHJK-MNPQR-STVWX-YZ012Ấ",
        None,
    ],
)
def test_normalise_code_rejects_wrong_length_or_alphabet(text):
    assert signing.normalise_code(text) is None


def test_offline_link_round_trips(fields, private_key):
    signature = signing.sign(signing.canonical_payload(**fields), private_key)
    url = signing.offline_link(
        base_url="https://daotao.pcmd.gov.vn/", code=fields["code"], signature=signature
    )
    assert url == f"https://daotao.pcmd.gov.vn/verify/{fields['code']}/?s={signature}"
    assert signing.parse_offline_link(url) == (fields["code"], signature)


def test_parse_offline_link_tolerates_prefixes_and_case():
    code = signing.new_code()
    url = f"https://example.vn/vi/verify/{code.lower().replace('-', '')}?s=abc_-1"
    assert signing.parse_offline_link(url) == (code, "abc_-1")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.vn/",
        "https://example.vn/verify/",
        "https://example.vn/verify/NOT-A-CODE/?s=abc",
        "https://example.vn/certificates/{code}/?s=abc",
        "https://example.vn/verify/{code}/",
        "https://example.vn/verify/{code}/?s=",
        "https://example.vn/verify/{code}/?s=a&s=b",
        "https://example.vn/verify/{code}/?s=a%20b",
        "",
    ],
)
def test_parse_offline_link_rejects_other_urls(url):
    with pytest.raises(ValueError):
        signing.parse_offline_link(url.format(code=signing.new_code()))


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdfinfo") and shutil.which("pdftotext")), reason="needs poppler-utils"
)


LOGO = "data:image/svg+xml;base64," + base64.b64encode(
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<circle cx="5" cy="5" r="5"/></svg>'
).decode("ascii")


def _context(*, private_key, **overrides):
    code = signing.new_code()
    payload = signing.canonical_payload(
        code=code,
        holder=HOLDER,
        course=COURSE,
        issued="2026-11-29",
        expires="2028-11-29",
        issuer=ISSUER,
    )
    signature = signing.sign(payload, private_key)
    url = signing.offline_link(
        base_url="https://daotao.pcmd.gov.vn", code=code, signature=signature
    )
    context = {
        "holder_name": HOLDER,
        "staff_id": "CB-004512",
        "organisation_name": "Sở Tư pháp tỉnh Thừa Thiên Huế",
        "course_title": COURSE,
        "course_title_en": "Foundations of prostitution prevention",
        "issued_on": date(2026, 11, 29),
        "expires_on": date(2028, 11, 29),
        "issuer_name": ISSUER,
        "code": code,
        "verify_url": url,
        "qr_data_uri": pdf.qr_svg_data_uri(url),
        "wording_vi": "đã hoàn thành chương trình đào tạo",
        "wording_en": "has completed the training programme",
        "signatories": [
            {"name": "Trần Văn Bình", "title": "Cục trưởng"},
            {"name": "Lê Thị Hoa", "title": "Giám đốc Trung tâm đào tạo"},
        ],
        "logo_data_uri": "",
        "signature_text": signature,
    }
    return {**context, **overrides}


def _pdf_facts(content: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return info, text


def _assert_one_a4_landscape_page(info: str):
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert abs(width - 841.89) < 1 and abs(height - 595.28) < 1


def test_qr_is_a_base64_svg_data_uri():
    uri = pdf.qr_svg_data_uri("https://daotao.pcmd.gov.vn/verify/X/?s=abc")
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    svg = base64.b64decode(uri.removeprefix(prefix)).decode()
    assert svg.startswith("<svg") and "viewBox" in svg


@needs_poppler
def test_certificate_is_one_a4_landscape_page_with_extractable_vietnamese(private_key, tmp_path):
    context = _context(private_key=private_key)
    content = pdf.render_certificate_pdf(context)
    assert content.startswith(b"%PDF-")
    info, text = _pdf_facts(content, tmp_path)
    _assert_one_a4_landscape_page(info)
    flat = " ".join(text.split())
    assert HOLDER in flat
    assert COURSE in flat
    assert context["code"] in text.split()
    assert "GIẤY CHỨNG NHẬN" in flat
    assert "Ngày cấp: 29/11/2026" in flat
    assert "Có giá trị đến: 29/11/2028" in flat
    assert "Kiểm tra tính xác thực tại:" in flat


@needs_poppler
def test_certificate_without_expiry_or_english_or_signatories(private_key, tmp_path):
    context = _context(
        private_key=private_key,
        expires_on=None,
        staff_id="",
        organisation_name="",
        course_title_en="",
        wording_vi="",
        wording_en="",
        signatories=[],
    )
    info, text = _pdf_facts(pdf.render_certificate_pdf(context), tmp_path)
    _assert_one_a4_landscape_page(info)
    flat = " ".join(text.split())
    assert "Không thời hạn" in flat
    assert "đã hoàn thành khóa học" in flat
    assert "Certificate" not in flat


@needs_poppler
def test_longest_allowed_text_still_fits_one_page(private_key, tmp_path):
    def repeat(text, length):
        return (text * (length // len(text) + 1))[:length].strip()

    name = "Tôn Nữ Hoàng Phương Thảo Nguyễn Thị Minh Anh Trần Lê Phạm "
    context = _context(
        private_key=private_key,
        holder_name=repeat(name, 150),
        course_title=repeat(COURSE + " và hỗ trợ hòa nhập cộng đồng, ", 255),
        course_title_en=repeat("Foundations of prostitution prevention, ", 300),
        wording_vi=repeat("đã hoàn thành chương trình đào tạo bồi dưỡng chuyên sâu, ", 300),
        wording_en=repeat("has completed the in-depth training programme, ", 300),
        organisation_name=repeat("Phòng Tư pháp huyện Tuy Phước, tỉnh Bình Định, ", 255),
        signatories=[{"name": repeat(name, 60), "title": "Phó Cục trưởng Cục Phòng, chống TNXH"}]
        * 3,
        issuer_name=repeat(ISSUER + ", Bộ Lao động - Thương binh và Xã hội, ", 300),
        logo_data_uri=LOGO,
    )
    info, text = _pdf_facts(pdf.render_certificate_pdf(context), tmp_path)
    _assert_one_a4_landscape_page(info)
    assert context["code"] in text.split()


def test_dates_are_day_month_year_whatever_the_language(private_key):
    from django.template.loader import render_to_string
    from django.utils import translation

    context = _context(private_key=private_key)
    for language in ("vi", "en"):
        with translation.override(language):
            html = render_to_string(pdf.TEMPLATE_NAME, {**context, **pdf._layout(context)})
        assert "29/11/2026" in html and "29/11/2028" in html
        assert re.search(r"font-size: \d+\.\d+pt", html)  # no decimal comma in CSS


def test_renders_share_one_font_configuration(private_key, monkeypatch):
    seen = []
    original = pdf.HTML.write_pdf

    def spy(self, *args, **kwargs):
        seen.append(kwargs["font_config"])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(pdf.HTML, "write_pdf", spy)
    pdf.render_certificate_pdf(_context(private_key=private_key))
    pdf.render_certificate_pdf(_context(private_key=private_key, holder_name="Trần Văn Bình"))
    assert len(seen) == 2
    assert seen[0] is seen[1] is pdf.font_configuration()


def test_renderer_fetches_nothing_but_data_uris(private_key, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not really a png")
    fetcher = pdf._url_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch(secret.as_uri())
    with pytest.raises(ValueError):
        fetcher.fetch("http://169.254.169.254/latest/meta-data/")
    # A logo that is not a data: URI is skipped, not fetched, and the page still renders.
    content = pdf.render_certificate_pdf(
        _context(private_key=private_key, logo_data_uri=secret.as_uri())
    )
    assert content.startswith(b"%PDF-")
