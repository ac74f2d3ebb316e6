"""Find English left on a screen that should be in Vietnamese.

A page is scanned for what a user sees or hears: visible text (screen-reader-only text
included), the placeholders, titles, alt texts and ARIA labels of visible elements, button
values, text drawn by CSS (the rich-text editor's placeholder) and the document title.
Text marked as code (<code>, <kbd>, <samp>) is literal and skipped.

A word counts as English when it has no Vietnamese diacritics, could not be a Vietnamese
syllable written without its marks (an onset, a vowel group and a final that Vietnamese
spells), and is not on the allow-list of names and codes. Vietnamese written without
diacritics therefore passes, as do acronyms and codes (digits, dots, slashes, e-mail
addresses); "Save draft", "Insert a block" and
"1-13 of 13 pages" do not. A few short English words that happen to be spelled like
Vietnamese syllables ("not", "on", "by"...) are listed explicitly.
"""

import re

# Brand names, file formats and technical codes that stay as they are in Vietnamese text.
ALLOWED = {
    "api",
    "csv",
    "email",
    "embedly",
    "h5p",
    "byte",
    "html",
    "id",
    "javascript",
    "json",
    "localhost",
    "pdf",
    "pcmd",
    "seo",
    "url",
    "utc",
    "video",
    "wagtail",
    "web",
    "xlsx",
    # Keyboard keys named in the keyboard-shortcuts dialog.
    "alt",
    "cmd",
    "ctrl",
    "enter",
    "esc",
    "shift",
    "tab",
}

_ONSET = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
_CLOSED = r"(?:uye|uya|oa|oe|ua|uy|uo|ue|ia|ie|ye|[aeiouy])(?:ch|nh|ng|[cmnpt])?"
_OPEN = r"(?:oai|oay|uoi|uou|ieu|yeu|ai|ao|au|ay|eo|eu|iu|oi|ui|uu)"
_SYLLABLE = re.compile(rf"^{_ONSET}(?:{_CLOSED}|{_OPEN})$")
# Spelled like Vietnamese syllables, but never Vietnamese words on an admin screen.
_ENGLISH_LOOKALIKES = {"at", "by", "go", "no", "not", "of", "on", "the", "that", "up", "set"}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Codes and addresses: anything with a digit, a slash, an @, or a dot or underscore inside.
_CODE = re.compile(r"\S*(?:\d|/|@|\w[._]\w)\S*")


def is_english_word(word: str) -> bool:
    lower = word.lower()
    if lower in ALLOWED or not word.isascii():
        return False
    if len(lower) == 1:
        return False
    if lower in _ENGLISH_LOOKALIKES:
        return True
    return not _SYLLABLE.match(lower)


def english_words(text: str) -> list[str]:
    words = _WORD.findall(_CODE.sub(" ", text))
    # Acronyms (WHO, UNODC, SEO) are names, whatever their language.
    return [w for w in words if not (w.isupper() and len(w) > 1) and is_english_word(w)]


# Everything the user perceives on the page, as (where, text) pairs.
_COLLECT = """
() => {
  const out = [];
  const seen = new Set();
  const visible = (el) => el && el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true});
  const push = (where, text) => {
    text = (text || "").replace(/\\s+/g, " ").trim();
    const key = where + "|" + text;
    if (text && !seen.has(key)) { seen.add(key); out.push([where, text]); }
  };
  push("document title", document.title);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(parent.tagName)) continue;
    if (parent.closest("code, kbd, samp")) continue;  // literal code and keys
    if (!visible(parent)) continue;
    push("text <" + parent.tagName.toLowerCase() + ">", node.nodeValue);
  }
  const attributes = ["placeholder", "title", "alt", "aria-label", "aria-description",
                      "aria-roledescription", "aria-valuetext", "data-placeholder"];
  for (const el of document.body.querySelectorAll("*")) {
    if (!visible(el)) continue;
    const tag = " <" + el.tagName.toLowerCase() + ">";
    for (const name of attributes) {
      if (el.hasAttribute(name)) push(name + tag, el.getAttribute(name));
    }
    if (el.tagName === "INPUT" && ["submit", "button", "reset"].includes(el.type)) {
      push("value" + tag, el.value);
    }
    // Text drawn by CSS, such as the rich-text editor's placeholder.
    for (const pseudo of ["::before", "::after"]) {
      const content = getComputedStyle(el, pseudo).content;
      if (content && content.startsWith('"')) push("css " + pseudo, content.slice(1, -1));
    }
  }
  return out;
}
"""


def english_on_page(page, *, ignore: tuple[str, ...] = ()) -> list[str]:
    """The English found on the current page, as "where: text" lines (empty if none).
    `ignore` lists exact texts to skip, e.g. content the test itself typed."""
    found = []
    for where, text in page.evaluate(_COLLECT):
        if text in ignore:
            continue
        words = english_words(text)
        if words:
            found.append(f"{where}: {text!r} ({', '.join(words)})")
    return found
