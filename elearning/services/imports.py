"""Importing completions from an external provider's CSV file.

The file is checked whole before anything is written (by a task after the
staff page's `completion_import_upload`, or at once by the command's
`completion_import_check`) and applied in one transaction
(`completion_import_apply`, by a task after `completion_import_confirm`),
which checks it again against the database as it is then: any bad row
rejects the whole file, with every bad row and why (core.csvimport has the
life of an import). Lookups and writes go in batches, so the number
of queries grows with the file's size divided by BATCH, never with its rows.

Decisions, as the staff page also explains them:
- Delegates are matched by e-mail address (ignoring case). A new address adds
  a delegate with no usable password and no verified address: they are asked
  to set a password ("Forgot your password?") before they can sign in.
  Existing delegates' names, roles and agencies are never changed by an import.
- Agencies are matched by name, ignoring case. A new agency is added under the
  row's sector (a sector slug is then required); a listed agency keeps its own
  sector whatever the row says.
- Modules are matched by title, ignoring case; a new title adds an external
  module, hidden from the catalogue until someone adds its link, at the level
  its title names ("Safeguarding Children Level 2" is Level 2).
- Roles: text matching one of our job roles (its label or value, ignoring case)
  is counted as that role; anything else is kept as written on the completion
  and reported as "not one of our roles".
- The same delegate, module and day is one completion: repeated rows in a file
  and rows imported before are skipped (and a database constraint holds it).
"""

import csv
import datetime as dt
import io
import re
import secrets
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Agency, JobRole, Sector, User
from accounts.roles import Role
from core import csvimport

from ..exceptions import ImportRejected
from ..models import Completion, CompletionImport, Module

COLUMNS = ("email", "name", "agency", "sector", "role", "module", "completed_at")
BATCH = 2000
EARLIEST = dt.date(2000, 1, 1)
_WHEN = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?")
_LEVEL = re.compile(r"\blevel\s*([123])\b", re.IGNORECASE)
MAX_LENGTHS = {"name": 300, "agency": 200, "module": 200, "role": 100, "email": 254}


_key = csvimport.key


@contextmanager
def _rejected_as_elearning():
    """The shared CSV checks (core.csvimport) raise their own ImportRejected;
    callers of this module catch the e-learning one, with the same message."""
    try:
        yield
    except csvimport.ImportRejected as error:
        raise ImportRejected(error.message, problems=error.problems) from None


def _role_lookup() -> dict[str, str]:
    lookup = {}
    for value, label in JobRole.choices:
        for text in (value, value.replace("_", " "), str(label), str(label).replace("&", "and")):
            lookup[_key(text)] = value
    return lookup


def _level_from_title(title: str) -> str:
    """A new module called "… Level 2" is counted as Level 2 (levels 1 to 3)."""
    match = _LEVEL.search(title)
    return f"level_{match.group(1)}" if match else ""


_split_name = csvimport.split_name


@dataclass
class Row:
    line: int
    email: str
    name: str
    agency: str  # key; "" when not given
    agency_name: str
    sector: str
    role: str  # a JobRole value or ""
    role_text: str  # the provider's text when it matched no role
    module: str  # key
    module_title: str
    completed_on: dt.date


@dataclass
class ImportPlan:
    """What a file would do, worked out without writing anything."""

    rows: list[Row] = field(default_factory=list)  # the completions to add
    rows_read: int = 0  # rows in the file
    duplicate_rows: int = 0
    existing_completions: int = 0
    users: dict = field(default_factory=dict)  # email → user id
    agencies: dict = field(default_factory=dict)  # key → agency id
    modules: dict = field(default_factory=dict)  # key → module id
    sectors: dict = field(default_factory=dict)  # slug → sector id
    new_delegates: dict = field(default_factory=dict)  # email → Row that introduces them
    new_agencies: dict = field(default_factory=dict)  # key → (name, sector slug)
    new_modules: dict = field(default_factory=dict)  # key → title
    unmatched_roles: Counter = field(default_factory=Counter)

    @property
    def new_completions(self) -> int:
        return len(self.rows)

    def summary(self) -> dict:
        return {
            "completions_new": self.new_completions,
            "completions_existing": self.existing_completions,
            "duplicate_rows": self.duplicate_rows,
            "delegates_new": len(self.new_delegates),
            "agencies_new": sorted(self.new_agencies.values()),
            "modules_new": sorted(self.new_modules.values()),
            "roles_unmatched": self.unmatched_roles.most_common(),
        }


# --- reading the file ---------------------------------------------------------


def read_upload(data: bytes) -> tuple[str, int]:
    """The file as text and how many rows it has, or ImportRejected for one
    too large, binary, not UTF-8, with the wrong columns or too many rows."""
    with _rejected_as_elearning():
        return csvimport.read_upload(data, columns=COLUMNS, max_bytes=settings.ELEARNING_IMPORT_MAX_BYTES,
                                     max_rows=settings.ELEARNING_IMPORT_MAX_ROWS)


def _parse_when(text: str, london: ZoneInfo) -> dt.date:
    if not _WHEN.fullmatch(text):
        raise ValueError
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    moment = dt.datetime.fromisoformat(text)
    return (moment.astimezone(london) if moment.tzinfo else moment).date()


def _read_rows(text: str, problems: dict, progress=None) -> tuple[list[Row], int]:
    """The file's rows checked one by one, and how many rows it has. Problems
    go in `problems` by line number; `progress`, if given, is told how many
    rows have been read, now and then."""
    reader = csv.reader(io.StringIO(text, newline=""))
    with _rejected_as_elearning():
        header, at = csvimport.read_header(reader, COLUMNS)
    london = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    roles = _role_lookup()
    rows = []
    read = 0
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            read += 1
            if progress is not None and read % csvimport.PROGRESS_EVERY == 0:
                progress(read)
            wrong = []
            if len(cells) != len(header):
                problems[line] = [_("it has %(n)s cells but the first row names %(m)s columns")
                                  % {"n": len(cells), "m": len(header)}]
                continue
            value = {name: cells[index].strip() for name, index in at.items()}
            for name, limit in MAX_LENGTHS.items():
                if len(value[name]) > limit:
                    wrong.append(_("%(column)s is longer than %(limit)s characters") % {"column": name,
                                                                                        "limit": limit})
            email = value["email"].lower()
            if not email:
                wrong.append(_("the e-mail address is missing"))
            else:
                try:
                    validate_email(email)
                except ValidationError:
                    wrong.append(_("“%(email)s” is not an e-mail address") % {"email": value["email"]})
            if not value["module"]:
                wrong.append(_("the module is missing"))
            completed_on = None
            if not value["completed_at"]:
                wrong.append(_("the completion date is missing"))
            else:
                try:
                    completed_on = _parse_when(value["completed_at"], london)
                except ValueError:
                    wrong.append(_("“%(date)s” is not a date: write it as YYYY-MM-DD (e.g. 2025-04-30) or "
                                   "YYYY-MM-DDTHH:MM") % {"date": value["completed_at"]})
                else:
                    if completed_on > today:
                        wrong.append(_("the completion date %(date)s is in the future")
                                     % {"date": value["completed_at"]})
                    elif completed_on < EARLIEST:
                        wrong.append(_("the completion date %(date)s is before 2000")
                                     % {"date": value["completed_at"]})
            if wrong:
                problems[line] = wrong
                continue
            role = roles.get(_key(value["role"]), "") if value["role"] else ""
            rows.append(Row(
                line=line, email=email, name=value["name"], agency=_key(value["agency"]),
                agency_name=csvimport.tidy(value["agency"]), sector=value["sector"].lower(), role=role,
                role_text="" if role else value["role"], module=_key(value["module"]),
                module_title=csvimport.tidy(value["module"]), completed_on=completed_on,
            ))
    except csv.Error as error:
        raise ImportRejected(
            _("The file could not be read as CSV at line %(line)s: %(error)s") % {"line": reader.line_num,
                                                                                  "error": error}
        ) from None
    return rows, read


# --- matching with the database ----------------------------------------------


def _batches(items):
    items = list(items)
    for start in range(0, len(items), BATCH):
        yield items[start: start + BATCH]


def _match(plan: ImportPlan, rows: list[Row], problems: dict) -> None:
    plan.sectors = dict(Sector.objects.values_list("slug", "pk"))
    plan.modules = {_key(title): pk for pk, title in Module.objects.values_list("pk", "title")}
    # Agencies (hundreds, not hundreds of thousands) are compared here rather
    # than in SQL, whose LOWER() is ASCII-only on SQLite.
    plan.agencies = {_key(name): pk for pk, name in Agency.objects.order_by("pk").values_list("pk", "name")}
    emails = {row.email for row in rows}
    for batch in _batches(emails):
        plan.users.update(User.objects.filter(email__in=batch).values_list("email", "pk"))

    sector_slugs = ", ".join(sorted(plan.sectors))
    for row in rows:
        wrong = []
        if row.sector and row.sector not in plan.sectors:
            wrong.append(_("“%(sector)s” is not one of our sectors (%(slugs)s)") % {"sector": row.sector,
                                                                                    "slugs": sector_slugs})
        if row.agency and row.agency not in plan.agencies:
            if not row.sector:
                wrong.append(_("the agency “%(agency)s” is not listed: give its sector so it can be added")
                             % {"agency": row.agency_name})
            elif row.sector in plan.sectors:
                name, sector = plan.new_agencies.setdefault(row.agency, (row.agency_name, row.sector))
                if sector != row.sector:
                    wrong.append(_("the new agency “%(agency)s” is given the sector “%(sector)s” here but "
                                   "“%(other)s” on an earlier row") % {"agency": name, "sector": row.sector,
                                                                       "other": sector})
        if row.email not in plan.users:
            if not row.name:
                wrong.append(_("the name is missing (needed to add %(email)s as a new delegate)")
                             % {"email": row.email})
            else:
                plan.new_delegates.setdefault(row.email, row)
        if row.module not in plan.modules:
            plan.new_modules.setdefault(row.module, row.module_title)
        if row.role_text:
            plan.unmatched_roles[row.role_text] += 1
        if wrong:
            problems[row.line] = wrong


def _drop_duplicates(plan: ImportPlan, rows: list[Row]) -> None:
    """Keep one row for each delegate, module and day, and none already imported."""
    existing = set()
    user_ids = list(plan.users.values())
    module_ids = list(plan.modules.values())
    for batch in _batches(user_ids):
        existing.update(
            Completion.objects.filter(user_id__in=batch, module_id__in=module_ids).values_list(
                "user_id", "module_id", "completed_on")
        )
    seen = set()
    for row in rows:
        key = (row.email, row.module, row.completed_on)
        if key in seen:
            plan.duplicate_rows += 1
            continue
        seen.add(key)
        user_id, module_id = plan.users.get(row.email), plan.modules.get(row.module)
        if user_id and module_id and (user_id, module_id, row.completed_on) in existing:
            plan.existing_completions += 1
            continue
        plan.rows.append(row)


def completion_import_plan(text: str, progress=None) -> ImportPlan:
    """Check a file's text and work out what importing it would do. Raises
    ImportRejected, listing every bad row, if any row is wrong. `progress`
    is told how many rows have been checked, now and then."""
    problems = {}
    rows, read = _read_rows(text, problems, progress)
    plan = ImportPlan(rows_read=read)
    _match(plan, rows, problems)
    if problems:
        listed = sorted(problems.items())
        message = ngettext(
            "Nothing was imported: %(count)s row has a problem. Correct it and upload the file again.",
            "Nothing was imported: %(count)s rows have problems. Correct them and upload the file again.",
            len(listed),
        )
        raise ImportRejected(message % {"count": len(listed)}, problems=listed)
    if not rows:
        raise ImportRejected(_("The file has no completions in it, only the row of column names."))
    _drop_duplicates(plan, rows)
    return plan


# --- the services ---------------------------------------------------------------


def completion_import_upload(*, filename: str, data: bytes, by=None) -> CompletionImport:
    """Keep an uploaded file after the checks that cost little (size, text,
    columns, rows at most ELEARNING_IMPORT_MAX_ROWS) and queue a task to check
    its rows: a large file takes longer than a web request may run. Raises
    ImportRejected, keeping nothing, for a file that fails those checks."""
    from .. import tasks

    text, rows = read_upload(data)
    return csvimport.import_queue(CompletionImport, filename=filename, text=text, rows=rows, by=by,
                                  task=tasks.completion_import_check)


def _checked(text: str, progress) -> tuple[dict, int]:
    plan = completion_import_plan(text, progress)
    return plan.summary(), plan.rows_read


def completion_import_check_rows(*, import_id: int) -> None:
    """The task's work: check every row of a kept file, recording how far it
    has got, then keep what it would do or why it cannot be imported."""
    csvimport.import_check(CompletionImport, pk=import_id, plan=_checked)


def completion_import_check(*, filename: str, data: bytes, by=None) -> tuple[CompletionImport, ImportPlan]:
    """Check a file whole, now, and keep it waiting for someone to confirm it
    (the import command; the staff page queues the check instead). Raises
    ImportRejected (with every bad row) and keeps nothing if it is wrong."""
    text, _rows = read_upload(data)
    plan = completion_import_plan(text)
    with transaction.atomic():
        record = CompletionImport.objects.create(
            filename=filename[:255], content=text, uploaded_by=by, rows=plan.rows_read, rows_checked=plan.rows_read,
            summary=plan.summary(),
        )
    return record, plan


def completion_import_confirm(*, completion_import: CompletionImport) -> None:
    """Queue a checked file for importing by a task (200,000 rows take minutes)."""
    from .. import tasks

    csvimport.import_confirm(CompletionImport, record=completion_import, task=tasks.completion_import_apply)


def completion_imports_requeue() -> int:
    """Queue again the checks and imports whose task never reached a worker."""
    from .. import tasks

    return csvimport.imports_requeue(
        CompletionImport, check_task=tasks.completion_import_check, apply_task=tasks.completion_import_apply
    )


def completion_import_apply_confirmed(*, import_id: int) -> None:
    """The task's work: import a confirmed file, or record why it now cannot be."""
    csvimport.import_apply(CompletionImport, pk=import_id,
                           apply=lambda record: completion_import_apply(completion_import=record))


def _unusable_password() -> str:
    """What set_unusable_password() stores ("!" and random text), made with one
    call to the system's random source instead of forty."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _unique_slugs(titles: list[str]) -> list[str]:
    taken = set(Module.objects.values_list("slug", flat=True))
    slugs = []
    for title in titles:
        base = slugify(title)[:180] or "module"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs.append(slug)
    return slugs


def completion_import_apply(*, completion_import: CompletionImport) -> CompletionImport:
    """Import a checked file in one transaction: new agencies, modules and
    delegates first, then the completions, all in bulk. The file is checked
    again (the database may have changed since); any problem now rejects it
    whole. Applying a file twice imports it once."""
    with transaction.atomic():
        record = CompletionImport.objects.select_for_update().get(pk=completion_import.pk)
        if record.status == CompletionImport.Status.APPLIED:
            return record
        if record.status not in (CompletionImport.Status.PENDING, CompletionImport.Status.APPLYING):
            raise ImportRejected(_("This file has not been checked, or cannot be imported: upload it again."))
        plan = completion_import_plan(record.content)

        new_agencies = [Agency(name=name, sector_id=plan.sectors[slug]) for name, slug in plan.new_agencies.values()]
        Agency.objects.bulk_create(new_agencies, batch_size=BATCH)
        plan.agencies.update((_key(agency.name), agency.pk) for agency in new_agencies)

        titles = list(plan.new_modules.values())
        new_modules = [
            Module(title=title, slug=slug, level=_level_from_title(title), delivery=Module.Delivery.EXTERNAL,
                   is_published=False)
            for title, slug in zip(titles, _unique_slugs(titles), strict=True)
        ]
        Module.objects.bulk_create(new_modules, batch_size=BATCH)
        plan.modules.update((_key(module.title), module.pk) for module in new_modules)

        new_users = []
        for email, row in plan.new_delegates.items():
            first, last = _split_name(row.name)
            new_users.append(User(
                email=email, first_name=first, last_name=last, job_role=row.role,
                agency_id=plan.agencies.get(row.agency), password=_unusable_password(),
            ))
        User.objects.bulk_create(new_users, batch_size=BATCH)
        plan.users.update((user.email, user.pk) for user in new_users)
        delegates = Group.objects.get(name=Role.DELEGATE)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=user.pk, group_id=delegates.pk) for user in new_users], batch_size=BATCH
        )

        # Rows that leave the agency or role blank take the delegate's own.
        profile = {user.pk: (user.agency_id, user.job_role) for user in new_users}
        wanted = {plan.users[row.email] for row in plan.rows if not row.agency or not (row.role or row.role_text)}
        for batch in _batches(wanted - profile.keys()):
            profile.update((pk, (agency_id, job_role)) for pk, agency_id, job_role in User.objects.filter(
                pk__in=batch).values_list("pk", "agency_id", "job_role"))
        completions = []
        for row in plan.rows:
            user_id = plan.users[row.email]
            own_agency, own_role = profile.get(user_id, (None, ""))
            completions.append(Completion(
                user_id=user_id, module_id=plan.modules[row.module], completed_on=row.completed_on,
                source=Completion.Source.IMPORTED, job_role=row.role or ("" if row.role_text else own_role),
                job_role_text=row.role_text, agency_id=plan.agencies[row.agency] if row.agency else own_agency,
                completion_import=record,
            ))
        # ignore_conflicts: a completion recorded since the check (a delegate
        # passing the same module today) is kept, not doubled.
        Completion.objects.bulk_create(completions, batch_size=BATCH, ignore_conflicts=True)

        record.status = CompletionImport.Status.APPLIED
        record.applied_at = timezone.now()
        record.content = ""  # personal data is kept in the records it made, not twice
        record.completions_created = Completion.objects.filter(completion_import=record).count()
        record.completions_existing = plan.existing_completions
        record.delegates_created = len(new_users)
        record.agencies_created = len(new_agencies)
        record.modules_created = len(new_modules)
        record.save()
    return record
