"""Vietnamese catalogues for the packages the platform installs, kept in step with them.

Two catalogues, both listed in `LOCALE_PATHS` so Django prefers them to the packages' own
(in templates, in Python and in the admin's JavaScript catalogue at `/admin/jsi18n/`):

- `locale_wagtail/`: every source string of every installed Wagtail app, Python and
  JavaScript domains. Wagtail's own Vietnamese covers a fifth of its admin and uses other
  words than ours, so this catalogue holds a translation for every string.
- `locale_django/`: the strings Django and the other libraries behind the admin (auth,
  humanize, taggit, django-filter, treebeard...) leave untranslated in Vietnamese, plus
  our corrections of theirs.

    .venv/bin/python scripts/vendor_catalogues.py update   # after upgrading a package
    .venv/bin/python scripts/vendor_catalogues.py report   # coverage per app and screen

`update` adds the new source strings (taking the package's own Vietnamese where it has one,
marked for review with a translator comment in `locale_wagtail`), drops the strings the
packages no longer have and keeps every translation we made. Translate the new entries,
then `make messages` compiles them.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
DOMAINS = ("django", "djangojs")
REVIEW_NOTE = "from the package's catalogue: review"
MINIMUM_COVERAGE = 0.95

# The admin screens trainers and administrators use, by the source files their strings
# come from (paths as in the catalogue's `#:` comments). Every string of these screens must
# be translated; the rest of Wagtail counts towards the overall minimum only.
_SHARED_CHROME = [
    "wagtail/admin/templates/wagtailadmin/shared/*",
    "wagtail/admin/templates/wagtailadmin/tables/*",
    "wagtail/admin/templates/wagtailadmin/generic/*",
    "wagtail/admin/templates/wagtailadmin/bulk_actions/*",
    "wagtail/admin/templates/wagtailadmin/skeleton.html",
    "wagtail/admin/templates/wagtailadmin/base.html",
    "wagtail/admin/templates/wagtailadmin/admin_base.html",
    "wagtail/admin/templates/wagtailadmin/404.html",
    "wagtail/admin/templatetags/*",
    "wagtail/admin/ui/*",
    "wagtail/admin/views/generic/*",
    "wagtail/admin/views/bulk_action/*",
    "wagtail/admin/viewsets/*",
    "wagtail/admin/filters.py",
    "wagtail/admin/active_filters.py",
    "wagtail/admin/paginator.py",
    "wagtail/admin/localization.py",
    "wagtail/admin/forms/search.py",
    "wagtail/admin/forms/models.py",
    "wagtail/admin/widgets/*",
    "wagtail/admin/wagtail_hooks.py",
    "wagtail/admin/views/mixins.py",
    "wagtail/admin/utils.py",
]
SCREENS: dict[str, list[str]] = {
    "dashboard": [
        "wagtail/admin/templates/wagtailadmin/home*",
        "wagtail/admin/views/home.py",
        "wagtail/admin/templates/wagtailadmin/account/*",
        "wagtail/admin/views/account.py",
        "wagtail/admin/forms/account.py",
        "wagtail/admin/templates/wagtailadmin/userbar/*",
        "wagtail/admin/userbar.py",
        *_SHARED_CHROME,
    ],
    "page explorer": [
        "wagtail/admin/templates/wagtailadmin/pages/listing/*",
        "wagtail/admin/templates/wagtailadmin/pages/index*",
        "wagtail/admin/templates/wagtailadmin/pages/search*",
        "wagtail/admin/templates/wagtailadmin/pages/bulk_actions/*",
        "wagtail/admin/templates/wagtailadmin/pages/confirm_*",
        "wagtail/admin/templates/wagtailadmin/pages/copy*",
        "wagtail/admin/templates/wagtailadmin/pages/move*",
        "wagtail/admin/templates/wagtailadmin/pages/add_subpage*",
        "wagtail/admin/views/pages/*",
        "wagtail/admin/forms/pages.py",
        "wagtail/models/pages.py",
    ],
    "page editor and blocks": [
        "wagtail/admin/templates/wagtailadmin/pages/*",
        "wagtail/admin/templates/wagtailadmin/panels/*",
        "wagtail/admin/templates/wagtailadmin/page_privacy/*",
        "wagtail/admin/templates/wagtailadmin/collection_privacy/*",
        "wagtail/admin/templates/wagtailadmin/block_forms/*",
        "wagtail/admin/panels/*",
        "wagtail/admin/action_menu.py",
        "wagtail/admin/compare.py",
        "wagtail/admin/forms/comments.py",
        "wagtail/admin/forms/pages.py",
        "wagtail/admin/forms/tags.py",
        "wagtail/admin/forms/view_restrictions.py",
        "wagtail/admin/views/page_privacy.py",
        "wagtail/blocks/*",
        "wagtail/fields.py",
        "wagtail/forms.py",
        "wagtail/locks.py",
        "wagtail/models/draft_state.py",
        "wagtail/models/locking.py",
        "wagtail/models/pages.py",
        "wagtail/models/preview.py",
        "wagtail/models/revisions.py",
        "wagtail/models/view_restrictions.py",
        "wagtail/embeds/*",
        # The JavaScript catalogue: the block editor, rich text, comments, choosers.
        "wagtail/admin/client/*",
    ],
    "choosers": [
        "wagtail/admin/templates/wagtailadmin/chooser/*",
        "wagtail/admin/templates/wagtailadmin/generic/chooser/*",
        "wagtail/admin/views/chooser.py",
        "wagtail/admin/views/generic/chooser.py",
        "wagtail/admin/viewsets/chooser.py",
        "wagtail/admin/forms/choosers.py",
        "wagtail/admin/widgets/chooser.py",
        "wagtail/snippets/widgets.py",
        "wagtail/images/templates/wagtailimages/chooser/*",
        "wagtail/images/views/chooser.py",
        "wagtail/documents/templates/wagtaildocs/chooser/*",
        "wagtail/documents/views/chooser.py",
    ],
    "snippets": ["wagtail/snippets/*"],
    "images and documents": [
        "wagtail/images/*",
        "wagtail/documents/*",
        "wagtail/models/media.py",
        "wagtail/admin/templates/wagtailadmin/collections/*",
        "wagtail/admin/views/collections.py",
        "wagtail/admin/forms/collections.py",
    ],
    "workflow and moderation": [
        "wagtail/admin/templates/wagtailadmin/workflows/*",
        "wagtail/admin/templates/wagtailadmin/notifications/*",
        "wagtail/admin/views/workflows.py",
        "wagtail/admin/forms/workflows.py",
        "wagtail/admin/mail.py",
        "wagtail/models/workflows.py",
    ],
    "reports": [
        "wagtail/admin/templates/wagtailadmin/reports/*",
        "wagtail/admin/views/reports/*",
        "wagtail/models/audit_log.py",
        # Log-entry actions (page history, site history) and permission names.
        "wagtail/wagtail_hooks.py",
    ],
    "users and groups": [
        "wagtail/users/*",
        "wagtail/admin/templates/wagtailadmin/permissions/*",
    ],
    "settings, sites and redirects": [
        "wagtail/contrib/settings/*",
        "wagtail/sites/*",
        "wagtail/models/sites.py",
        "wagtail/contrib/redirects/*",
        "wagtail/contrib/forms/*",
        "wagtail/search/*",
    ],
}


# --- Sources: the packages' own catalogues ----------------------------------------------


@dataclass(frozen=True)
class Source:
    """One package (an app, or Django itself) and its `locale/` directory."""

    name: str  # e.g. "wagtail/admin", as written in our `#:` comments
    locale: Path

    def catalogue(self, language: str, domain: str) -> polib.POFile | None:
        po = self.locale / language / "LC_MESSAGES" / f"{domain}.po"
        return polib.pofile(str(po)) if po.exists() else None

    def entries(self, domain: str) -> list[polib.POEntry]:
        """The package's source strings. Packages without an English catalogue get their
        msgids (which are the English) from any other language's catalogue."""
        catalogue = self.catalogue("en", domain)
        if catalogue is None:
            others = sorted(self.locale.glob(f"*/LC_MESSAGES/{domain}.po"))
            catalogue = polib.pofile(str(others[0])) if others else None
        if catalogue is None:
            return []
        return [e for e in catalogue if not e.obsolete and e.msgid]

    def locations(self, domain: str, entry: polib.POEntry) -> list[str]:
        if domain == "djangojs":
            # The JavaScript catalogue's paths start at Wagtail's client/ source folder.
            return [f"{self.name}/client/{path}" for path, _line in entry.occurrences]
        return [f"{self.name}/{path}" for path, _line in entry.occurrences]


def _django_setup():
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
        if str(BASE_DIR) not in sys.path:
            sys.path.insert(0, str(BASE_DIR))
        django.setup()


def _installed_sources() -> list[Source]:
    _django_setup()
    import django
    from django.apps import apps

    site_packages = Path(django.__file__).resolve().parent.parent
    found = [Source("django", Path(django.__file__).resolve().parent / "conf" / "locale")]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if site_packages not in path.parents or not (path / "locale").is_dir():
            continue  # the platform's own apps have their catalogue in locale/
        found.append(Source(path.relative_to(site_packages).as_posix(), path / "locale"))
    return found


@dataclass
class Target:
    """One of our catalogues and the packages whose strings it translates."""

    name: str
    directory: Path
    owns: callable  # Source -> bool
    # True: every source string has an entry here (the package's Vietnamese only seeds it).
    # False: only the strings the package leaves untranslated, and our corrections.
    complete: bool
    sources: list[Source] = field(default_factory=list)

    def path(self, domain: str) -> Path:
        return self.directory / "vi" / "LC_MESSAGES" / f"{domain}.po"

    def load(self, domain: str) -> polib.POFile:
        path = self.path(domain)
        return polib.pofile(str(path)) if path.exists() else polib.POFile()


def _is_wagtail(source: Source) -> bool:
    return source.name.split("/")[0] == "wagtail"


def _is_other_library(source: Source) -> bool:
    # allauth has its own catalogue (locale_allauth/), made from its full source list.
    return not _is_wagtail(source) and source.name.split("/")[0] != "allauth"


def targets() -> list[Target]:
    found = [
        Target("wagtail", BASE_DIR / "locale_wagtail", _is_wagtail, complete=True),
        Target("django", BASE_DIR / "locale_django", _is_other_library, complete=False),
    ]
    for source in _installed_sources():
        for target in found:
            if target.owns(source):
                target.sources.append(source)
    return found


def target(name: str) -> Target:
    return next(t for t in targets() if t.name == name)


# --- Translations -----------------------------------------------------------------------


def key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def is_translated(entry: polib.POEntry) -> bool:
    if entry.obsolete or entry.fuzzy:
        return False
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def translated_keys(catalogue) -> set[tuple[str, str]]:
    return {key(e) for e in catalogue or [] if is_translated(e)}


_PLACEHOLDER = re.compile(
    r"%\([^)]+\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]"  # %(name)s
    r"|%[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]"  # %s, %d
    r"|%%"
    r"|\{[A-Za-z_][A-Za-z0-9_]*\}|\{\d*\}"  # {name}, {0}, {}
    r"|</?[A-Za-z][^<>]*>"  # HTML tags, with their attributes
    r"|&[a-z]+;|&#\d+;"  # entities
)


def placeholders(text: str) -> Counter:
    return Counter(_PLACEHOLDER.findall(text))


def placeholder_problems(entry: polib.POEntry) -> list[str]:
    """What a translation loses or adds against its msgid: placeholders, tags, entities."""
    if not is_translated(entry):
        return []
    problems = []
    if entry.msgid_plural:
        # Vietnamese has one form, used for every n: it must carry the plural's placeholders.
        wanted = placeholders(entry.msgid_plural)
        pairs = [(f"msgstr[{n}]", s) for n, s in sorted(entry.msgstr_plural.items())]
    else:
        wanted = placeholders(entry.msgid)
        pairs = [("msgstr", entry.msgstr)]
    for name, text in pairs:
        got = placeholders(text)
        if got != wanted:
            missing = sorted((wanted - got).elements())
            extra = sorted((got - wanted).elements())
            problems.append(f"{entry.msgid!r} {name}: missing {missing}, extra {extra}")
    return problems


# --- Coverage ----------------------------------------------------------------------------


@dataclass
class Coverage:
    name: str
    total: int
    translated: int
    missing: list[tuple[str, ...]]

    @property
    def ratio(self) -> float:
        return self.translated / self.total if self.total else 1.0


def _done(t: Target, source: Source, domain: str, ours: set) -> set:
    if t.complete:
        return ours
    return ours | translated_keys(source.catalogue("vi", domain))


def source_keys(t: Target, domain: str) -> set[tuple[str, str]]:
    return {key(e) for source in t.sources for e in source.entries(domain)}


def coverage_by_source(t: Target) -> list[Coverage]:
    rows = []
    for domain in DOMAINS:
        ours = translated_keys(t.load(domain))
        for source in t.sources:
            keys = [key(e) for e in source.entries(domain)]
            if keys:
                done = _done(t, source, domain, ours)
                missing = [k for k in keys if k not in done]
                name = f"{source.name} ({domain})"
                rows.append(Coverage(name, len(keys), len(keys) - len(missing), missing))
    return rows


def overall(rows: list[Coverage], name: str) -> Coverage:
    return Coverage(
        name,
        sum(r.total for r in rows),
        sum(r.translated for r in rows),
        [m for r in rows for m in r.missing],
    )


def screen_keys(t: Target) -> dict[str, set[tuple[str, str, str]]]:
    """For each admin screen, the (domain, msgctxt, msgid) of the source strings it shows."""
    found: dict[str, set[tuple[str, str, str]]] = {name: set() for name in SCREENS}
    for domain in DOMAINS:
        for source in t.sources:
            for entry in source.entries(domain):
                files = source.locations(domain, entry)
                for name, patterns in SCREENS.items():
                    if any(fnmatch.fnmatch(f, p) for f in files for p in patterns):
                        found[name].add((domain, *key(entry)))
    return found


def coverage_by_screen(t: Target) -> list[Coverage]:
    done = {domain: translated_keys(t.load(domain)) for domain in DOMAINS}
    rows = []
    for name, keys in screen_keys(t).items():
        missing = sorted(k for k in keys if (k[1], k[2]) not in done[k[0]])
        rows.append(Coverage(name, len(keys), len(keys) - len(missing), missing))
    return rows


# --- Update -----------------------------------------------------------------------------

HEADER = {
    "Project-Id-Version": "Vietnamese for the platform's packages",
    "Report-Msgid-Bugs-To": "",
    "PO-Revision-Date": "2026-01-01 00:00+0700",
    "Last-Translator": "Platform team",
    "Language-Team": "Vietnamese",
    "Language": "vi",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}
_DESCRIPTIONS = {
    "wagtail": "Vietnamese for the Wagtail admin: every string of the installed Wagtail apps.",
    "django": "Vietnamese for the strings Django and the admin's libraries leave untranslated.",
}


def _new_entry(source_entry, files):
    return polib.POEntry(
        msgid=source_entry.msgid,
        msgctxt=source_entry.msgctxt,
        msgid_plural=source_entry.msgid_plural,
        msgstr="",
        msgstr_plural={0: ""} if source_entry.msgid_plural else {},
        flags=[f for f in source_entry.flags if f != "fuzzy"],
        comment=source_entry.comment,
        occurrences=[(f, "") for f in dict.fromkeys(files)],
    )


def update(t: Target) -> dict[str, int]:
    stats = {}
    for domain in DOMAINS:
        ours = {key(e): e for e in t.load(domain)}
        merged: dict[tuple[str, str], polib.POEntry] = {}
        for source in t.sources:
            theirs = {key(e): e for e in source.catalogue("vi", domain) or [] if is_translated(e)}
            for source_entry in source.entries(domain):
                k = key(source_entry)
                files = source.locations(domain, source_entry)
                if k in merged:
                    entry = merged[k]
                    known = {f for f, _ in entry.occurrences}
                    entry.occurrences += [(f, "") for f in files if f not in known]
                    continue
                previous = ours.get(k)
                if not t.complete and k in theirs and previous is None:
                    continue  # the package's own translation serves
                entry = _new_entry(source_entry, files)
                if previous is not None and (previous.msgstr or previous.msgstr_plural):
                    entry.msgstr = previous.msgstr
                    entry.msgstr_plural = dict(previous.msgstr_plural)
                    entry.tcomment = previous.tcomment
                elif k in theirs:
                    entry.msgstr = theirs[k].msgstr
                    if source_entry.msgid_plural:
                        entry.msgstr_plural = {0: theirs[k].msgstr_plural.get(0, "")}
                    entry.tcomment = REVIEW_NOTE
                merged[k] = entry
        if not merged:
            continue
        catalogue = polib.POFile(wrapwidth=79)
        catalogue.header = (
            f"{_DESCRIPTIONS[t.name]}\n"
            "Overrides the packages' own catalogues through LOCALE_PATHS. Kept in step with\n"
            "the installed packages by scripts/vendor_catalogues.py; the translations are\n"
            "the platform's, under the packages' licences."
        )
        catalogue.metadata = dict(HEADER)
        catalogue.extend(merged.values())
        path = t.path(domain)
        path.parent.mkdir(parents=True, exist_ok=True)
        catalogue.save(str(path))
        stats[domain] = len(merged)
    return stats


def report() -> int:
    problems = []
    for t in targets():
        title = f"{t.name} catalogue: package (domain)"
        print(f"{title:<52} {'strings':>8} {'done':>6} {'cover':>7}")
        rows = coverage_by_source(t)
        for row in [*rows, overall(rows, "all")]:
            print(f"  {row.name:<50} {row.total:>8} {row.translated:>6} {row.ratio:>7.1%}")
        if t.name == "wagtail":
            print(f"{'Admin screens':<52} {'strings':>8} {'done':>6} {'cover':>7}")
            for row in coverage_by_screen(t):
                print(f"  {row.name:<50} {row.total:>8} {row.translated:>6} {row.ratio:>7.1%}")
        for domain in DOMAINS:
            catalogue = t.load(domain)
            problems += [p for e in catalogue for p in placeholder_problems(e)]
            review = [e for e in catalogue if e.tcomment == REVIEW_NOTE]
            if review:
                print(f"  {len(review)} entries of {t.path(domain).name} to review")
        print()
    print(f"Placeholder problems: {len(problems)}")
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "report"
    if command == "update":
        for t in targets():
            for domain, count in update(t).items():
                print(f"{t.path(domain).relative_to(BASE_DIR)}: {count} entries")
        return 0
    if command == "report":
        return report()
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
