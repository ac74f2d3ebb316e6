"""Planning a roster or units import: what each row would create, update or refuse and
why. Planning reads only (a fixed number of queries whatever the number of rows); the
services apply a plan in one transaction."""

from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AgencyType, JobRole, Organisation, User
from accounts.roles import TRAINEE
from accounts.selectors import unit_within

from .tables import header_key

STAFF_COLUMNS = ["full_name", "email", "staff_id", "job_role", "unit", "manager_email"]
STAFF_REQUIRED = ["full_name", "email", "staff_id", "job_role", "unit"]
UNIT_COLUMNS = ["code", "name", "parent", "agency_type", "province"]
UNIT_REQUIRED = ["code", "name"]

# Header spellings accepted, English and Vietnamese (compared through tables.header_key).
STAFF_HEADERS = {
    "full_name": ["full name", "name", "ho va ten", "ho ten"],
    "email": ["email", "e mail", "thu dien tu", "dia chi email", "dia chi e mail"],
    "staff_id": ["staff id", "ma can bo", "ma nhan vien", "so hieu", "ma so can bo"],
    "job_role": ["job role", "role", "chuc danh", "vai tro", "vi tri cong viec"],
    "unit": ["unit", "organisation", "don vi", "ma don vi", "co quan"],
    "manager_email": ["manager email", "manager", "email nguoi quan ly", "email quan ly"],
}
UNIT_HEADERS = {
    "code": ["code", "unit code", "ma", "ma don vi"],
    "name": ["name", "unit name", "ten", "ten don vi"],
    "parent": ["parent", "parent code", "don vi cap tren", "cap tren", "ma don vi cap tren"],
    "agency_type": ["agency type", "type", "loai co quan", "nganh", "loai"],
    "province": ["province", "tinh", "tinh thanh pho", "tinh thanh", "tinh tp"],
}

PATH_SEPARATOR = " › "


def aliases(headers: dict[str, list[str]]) -> dict[str, str]:
    table = {}
    for column, spellings in headers.items():
        table[header_key(column)] = column
        for spelling in spellings:
            table[header_key(spelling)] = column
    return table


def _choice_lookup(choices) -> dict[str, str]:
    """Stored values and labels in Vietnamese and English, case-insensitively."""
    table = {}
    for value, label in choices:
        table[value.casefold()] = value
        for language in ("vi", "en"):
            with translation.override(language):
                table[" ".join(str(label).split()).casefold()] = value
    return table


@dataclass
class RowPlan:
    line: int
    action: str  # create | update | unchanged | refuse
    reasons: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    label: str = ""  # the person or unit, as shown in the report
    target_id: int | None = None
    organisation_id: int | None = None
    manager_id: int | None = None
    manager_email: str = ""
    parent_id: int | None = None
    parent_code: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


ACTION_LABELS = {
    "create": gettext_lazy("create"),
    "update": gettext_lazy("update"),
    "unchanged": gettext_lazy("no change"),
    "refuse": gettext_lazy("refused"),
}


CHANGE_LABELS = {
    "full_name": gettext_lazy("full name"),
    "staff_id": gettext_lazy("staff ID"),
    "job_role": gettext_lazy("job role"),
    "organisation_id": gettext_lazy("unit"),
    "manager": gettext_lazy("manager"),
    "name": gettext_lazy("name"),
    "agency_type": gettext_lazy("agency type"),
    "province": gettext_lazy("province or city"),
}


def row_text(row: dict) -> str:
    """One row of the report as a line of text (the command prints these)."""
    action = str(ACTION_LABELS[row["action"]])
    if row["reasons"]:
        detail = "; ".join(row["reasons"])
    elif row["changes"]:
        detail = ", ".join(str(CHANGE_LABELS.get(c, c)) for c in row["changes"])
    else:
        detail = row["values"].get("unit", "")
    return f"{row['line']:>6}  {action:<12} {row['label']}  {detail}".rstrip()


class UnitIndex:
    """Every unit in one query, found by code or by its path of names from the root."""

    def __init__(self):
        units = list(
            Organisation.objects.order_by("path").values(
                "id", "path", "name", "code", "agency_type", "province"
            )
        )
        self.by_id = {u["id"]: u for u in units}
        by_path = {u["path"]: u for u in units}
        self.by_code = {}
        self.by_names = {}
        for unit in units:
            names = []
            for end in range(4, len(unit["path"]) + 1, 4):
                ancestor = by_path.get(unit["path"][:end])
                names.append(ancestor["name"] if ancestor else "?")
            unit["display"] = PATH_SEPARATOR.join(names)
            self.by_names.setdefault(_name_key(unit["display"]), []).append(unit)
            if unit["code"]:
                self.by_code[unit["code"].casefold()] = unit

    def find(self, text: str) -> tuple[dict | None, str]:
        text = text.strip()
        if not text:
            return None, _("the unit is missing")
        unit = self.by_code.get(text.casefold())
        if unit is not None:
            return unit, ""
        found = self.by_names.get(_name_key(text), [])
        if len(found) == 1:
            return found[0], ""
        if len(found) > 1:
            return None, _("the unit path “%(unit)s” names more than one unit; use its code") % {
                "unit": text
            }
        return None, _("unknown unit “%(unit)s”") % {"unit": text}


def _name_key(path_text: str) -> str:
    # "A › B", "A > B" and "A/B" all name the same unit, whatever the spacing or case.
    for separator in ("›", ">", "/"):
        path_text = path_text.replace(separator, "\x1f")
    return "\x1f".join(" ".join(part.split()).casefold() for part in path_text.split("\x1f"))


def in_scope(unit_path: str, scope: Organisation | None) -> bool:
    return unit_within(unit_path, scope)


def _agency(unit_path: str) -> str:
    return unit_path[:4]


def plan_staff(rows, *, scope: Organisation | None) -> list[RowPlan]:
    """Per row: create, update, no change or refuse, and why. Matching is by e-mail and by
    staff ID within the same top-level agency; the two must name the same person."""
    units = UnitIndex()
    roles = _choice_lookup(JobRole.choices)
    emails = {(values.get("email") or "").strip().lower() for _line, values in rows}
    emails |= {(values.get("manager_email") or "").strip().lower() for _line, values in rows}
    emails.discard("")
    staff_ids = {(values.get("staff_id") or "").strip() for _line, values in rows} - {""}
    people = {}
    for user in (
        User.objects.filter(email__in=emails) | User.objects.filter(staff_id__in=staff_ids)
    ).select_related("organisation", "staff_record"):
        people[user.pk] = user
    privileged = set(
        User.objects.filter(pk__in=people)
        .exclude(groups__name=TRAINEE)
        .filter(groups__isnull=False)
        .values_list("pk", flat=True)
    )
    by_email = {u.email.lower(): u for u in people.values()}
    by_staff_id = {}
    for user in people.values():
        if user.staff_id and user.organisation_id:
            by_staff_id[(_agency(user.organisation.path), user.staff_id)] = user

    seen_emails: dict[str, int] = {}
    seen_ids: dict[tuple[str, str], int] = {}
    file_emails = set()
    plans = []
    for line, values in rows:
        plan = RowPlan(line=line, action="refuse")
        reasons = plan.reasons
        full_name = " ".join((values.get("full_name") or "").split())
        email = (values.get("email") or "").strip().lower()
        staff_id = (values.get("staff_id") or "").strip()
        manager_email = (values.get("manager_email") or "").strip().lower()
        plan.values = {
            "full_name": full_name,
            "email": email,
            "staff_id": staff_id,
            "job_role": values.get("job_role", ""),
            "unit": values.get("unit", ""),
            "manager_email": manager_email,
        }
        plan.label = full_name or email
        if "__extra__" in values:
            reasons.append(_("the row has more cells than the header"))
        if not full_name:
            reasons.append(_("the full name is missing"))
        elif len(full_name) > 150:
            reasons.append(_("the full name is longer than 150 characters"))
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(_("malformed e-mail “%(email)s”") % {"email": email})
            email = ""
        if not staff_id:
            reasons.append(_("the staff ID is missing"))
        elif len(staff_id) > 50:
            reasons.append(_("the staff ID is longer than 50 characters"))
        job_role = roles.get(" ".join((values.get("job_role") or "").split()).casefold())
        if job_role is None:
            reasons.append(
                _("job role not recognised: “%(role)s”") % {"role": values.get("job_role", "")}
            )
        unit, why = units.find(values.get("unit") or "")
        if unit is None:
            reasons.append(why)
        elif not in_scope(unit["path"], scope):
            reasons.append(
                _("the unit “%(unit)s” is outside your units") % {"unit": unit["display"]}
            )
            unit = None
        if manager_email:
            try:
                validate_email(manager_email)
            except ValidationError:
                reasons.append(_("malformed manager e-mail “%(email)s”") % {"email": manager_email})
                manager_email = ""
        if email:
            if email in seen_emails:
                reasons.append(
                    _("the e-mail is already on row %(line)s") % {"line": seen_emails[email]}
                )
            else:
                seen_emails[email] = line
        if staff_id and unit is not None:
            key = (_agency(unit["path"]), staff_id)
            if key in seen_ids:
                reasons.append(
                    _("duplicate staff ID %(id)s (also on row %(line)s)")
                    % {"id": staff_id, "line": seen_ids[key]}
                )
            else:
                seen_ids[key] = line
        existing = by_email.get(email) if email else None
        holder = by_staff_id.get((_agency(unit["path"]), staff_id)) if unit and staff_id else None
        if holder is not None and existing is not None and holder.pk != existing.pk:
            reasons.append(
                _("duplicate staff ID %(id)s: it belongs to another person (%(email)s)")
                % {"id": staff_id, "email": holder.email}
            )
        elif holder is not None and existing is None:
            reasons.append(
                _("duplicate staff ID %(id)s: it belongs to %(email)s, not to this e-mail")
                % {"id": staff_id, "email": holder.email}
            )
        if existing is not None:
            if existing.pk in privileged or existing.is_staff or existing.is_superuser:
                reasons.append(
                    _("%(email)s has a staff role; an administrator changes it in the admin")
                    % {"email": email}
                )
            elif existing.organisation_id and not in_scope(existing.organisation.path, scope):
                reasons.append(_("%(email)s belongs to a unit outside yours") % {"email": email})
            elif existing.staff_id and staff_id and existing.staff_id != staff_id:
                reasons.append(
                    _("%(email)s has the staff ID %(id)s, not %(new)s")
                    % {"email": email, "id": existing.staff_id, "new": staff_id}
                )
        if reasons:
            plans.append(plan)
            continue
        plan.organisation_id = unit["id"]
        plan.values["job_role"] = job_role
        plan.values["unit"] = unit["display"]
        plan.manager_email = manager_email
        file_emails.add(email)
        if existing is None:
            plan.action = "create"
        else:
            plan.target_id = existing.pk
            wanted = {
                "full_name": full_name,
                "staff_id": staff_id,
                "job_role": job_role,
                "organisation_id": unit["id"],
            }
            plan.changes = [f for f, v in wanted.items() if getattr(existing, f) != v]
            record = getattr(existing, "staff_record", None)
            current_manager = record.manager.email.lower() if record and record.manager else ""
            if manager_email and manager_email != current_manager:
                plan.changes.append("manager")
            plan.action = "update" if plan.changes else "unchanged"
        plans.append(plan)

    # Managers: someone already on the platform, or a person this file brings in.
    for plan in plans:
        if plan.action == "refuse" or not plan.manager_email:
            continue
        manager = by_email.get(plan.manager_email)
        if plan.manager_email == plan.values["email"]:
            _refuse(plan, _("a person cannot be their own manager"))
        elif manager is not None:
            plan.manager_id = manager.pk
        elif plan.manager_email not in file_emails:
            _refuse(
                plan,
                _("unknown manager %(email)s (not on the platform nor in this file)")
                % {"email": plan.manager_email},
            )
    return plans


def _refuse(plan: RowPlan, reason: str) -> None:
    plan.action = "refuse"
    plan.changes = []
    plan.reasons.append(reason)


def plan_units(rows, *, scope: Organisation | None) -> list[RowPlan]:
    """Per row: create a unit, update its name, type or province, or refuse. Parents are
    found by code or path; a parent created by an earlier row of the file counts."""
    units = UnitIndex()
    agency_types = _choice_lookup(AgencyType.choices)
    planned_codes: dict[str, int] = {}
    plans = []
    for line, values in rows:
        plan = RowPlan(line=line, action="refuse")
        reasons = plan.reasons
        code = (values.get("code") or "").strip()
        name = " ".join((values.get("name") or "").split())
        parent_text = (values.get("parent") or "").strip()
        agency_text = " ".join((values.get("agency_type") or "").split())
        province = " ".join((values.get("province") or "").split())
        plan.values = {
            "code": code,
            "name": name,
            "parent": parent_text,
            "agency_type": agency_text,
            "province": province,
        }
        plan.label = f"{code} · {name}" if code else name
        if "__extra__" in values:
            reasons.append(_("the row has more cells than the header"))
        if not code:
            reasons.append(_("the unit code is missing"))
        elif len(code) > 50:
            reasons.append(_("the unit code is longer than 50 characters"))
        elif code.casefold() in planned_codes:
            reasons.append(
                _("the code %(code)s is already on row %(line)s")
                % {"code": code, "line": planned_codes[code.casefold()]}
            )
        if not name:
            reasons.append(_("the unit name is missing"))
        elif len(name) > 255:
            reasons.append(_("the unit name is longer than 255 characters"))
        agency_type = agency_types.get(agency_text.casefold()) if agency_text else AgencyType.OTHER
        if agency_type is None:
            reasons.append(_("agency type not recognised: “%(type)s”") % {"type": agency_text})
        if len(province) > 100:
            reasons.append(_("the province is longer than 100 characters"))
        parent = None
        if parent_text:
            parent, why = units.find(parent_text)
            if parent is None and parent_text.casefold() in planned_codes:
                plan.parent_code = parent_text  # created by an earlier row of this file
            elif parent is None:
                reasons.append(_("parent: %(why)s") % {"why": why})
            elif not in_scope(parent["path"], scope):
                reasons.append(_("the parent unit is outside your units"))
        elif scope is not None:
            reasons.append(_("give the parent unit (yours or one below it)"))
        existing = units.by_code.get(code.casefold()) if code else None
        if existing is not None:
            if not in_scope(existing["path"], scope) or (
                scope is not None and existing["path"] == scope.path
            ):
                reasons.append(_("the unit %(code)s is outside your units") % {"code": code})
            else:
                current_parent = existing["path"][:-4]
                wanted_parent = parent["path"] if parent else ("" if not parent_text else None)
                if wanted_parent is None or wanted_parent != current_parent:
                    reasons.append(
                        _("the unit %(code)s exists under another parent; move it in the admin")
                        % {"code": code}
                    )
        if reasons:
            plans.append(plan)
            continue
        planned_codes[code.casefold()] = line
        plan.values["agency_type"] = agency_type
        plan.parent_id = parent["id"] if parent else None
        if existing is None:
            plan.action = "create"
        else:
            plan.target_id = existing["id"]
            wanted = {"name": name, "agency_type": agency_type, "province": province}
            if not agency_text:
                wanted.pop("agency_type")
            plan.changes = [f for f, v in wanted.items() if existing[f] != v]
            plan.action = "update" if plan.changes else "unchanged"
        plans.append(plan)
    return plans


def summary(plans) -> dict[str, int]:
    counts = {"create": 0, "update": 0, "unchanged": 0, "refuse": 0}
    for plan in plans:
        action = plan["action"] if isinstance(plan, dict) else plan.action
        counts[action] += 1
    return counts
