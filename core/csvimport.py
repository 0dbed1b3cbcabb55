"""What every CSV import of the site needs before it looks at a row: the file
checked for size, binary content, encoding and rows; the header checked
against the columns expected; names compared as people read them. (The
e-learning import grew its own copies of these while this was written; it can
move onto these.)

And how an uploaded file is taken through its life, the same for every import
(the record is a `CsvImport`): the upload page makes only the checks that cost
little (`read_upload`) and keeps the file, "queued"; a Celery task checks every
row ("checking"), writing how many it has checked so the import's page can
show it, and keeps what the file would do ("pending") or why it cannot be
imported ("rejected"); someone confirms, and a second task imports it
("applying", then "applied"). A file of the largest size allowed takes minutes
to check and import, far longer than a web request may run.
"""

import csv
import datetime as dt
import io
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.db import models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .exceptions import DomainError
from .jobs import task_enqueue

logger = logging.getLogger(__name__)

_SPACES = re.compile(r"\s+")
# Rows with problems kept on a rejected import's record and listed on its page
# (the import commands list them all).
PROBLEMS_KEPT = 1000
# The checking task writes how far it has got every this many rows.
PROGRESS_EVERY = 5000
# A file whose task no worker has started this long after it was queued has
# lost it (the broker was down, or lost the message) and is queued again.
REQUEUE_AFTER = dt.timedelta(minutes=10)


class ImportRejected(DomainError):
    """A file that cannot be imported. `problems` lists every bad row as
    (line number, [reasons]); nothing of the file was imported."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


def key(text: str) -> str:
    """Names compared as people read them: case and repeated spaces ignored."""
    return _SPACES.sub(" ", text.strip()).casefold()


def tidy(text: str) -> str:
    """A name as it will be stored: repeated spaces made one."""
    return _SPACES.sub(" ", text.strip())


def split_name(name: str) -> tuple[str, str]:
    """ "Jo Bloggs" and "Bloggs, Jo" → ("Jo", "Bloggs")."""
    name = tidy(name)
    if "," in name:
        last, _comma, first = name.partition(",")
        return first.strip()[:150], last.strip()[:150]
    first, _space, last = name.rpartition(" ") if " " in name else (name, "", "")
    return first[:150], last[:150]


def decode(data: bytes, *, limit: int) -> str:
    """The file as text, or ImportRejected for one too large, binary or not UTF-8."""
    if len(data) > limit:
        raise ImportRejected(
            _("The file is %(size)s. The largest file that can be imported is %(limit)s: split it into smaller files.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)}
        )
    if b"\x00" in data:
        raise ImportRejected(
            _("The file is not a CSV file (it holds binary data). Save it as “CSV UTF-8” and try again.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportRejected(
            _("The file is not UTF-8 text (line %(line)s). Save it as “CSV UTF-8” and try again.") % {"line": line}
        ) from None


def count_rows(text: str, *, limit: int) -> int:
    """How many rows follow the header, or ImportRejected for more than
    `limit`, without reading the file row by row unless it must: its line
    ends, counted at C speed, are at least as many as its rows (a quoted cell
    may hold a line break; a blank line is not a row), so a file with no more
    lines than the limit is within it. A file with more is read only until
    its rows pass the limit."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    lines = ends + (0 if text.endswith(("\n", "\r")) else 1)
    if lines - 1 <= limit:
        return max(lines - 1, 0)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = -1  # the header
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows += 1
            if rows > limit:
                raise ImportRejected(
                    _("The file has more than %(limit)s rows. The most that can be imported at once is %(limit)s: "
                      "split it into smaller files.") % {"limit": f"{limit:,}"}
                )
    except csv.Error as error:
        raise ImportRejected(
            _("The file could not be read as CSV at line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    return max(rows, 0)


def read_upload(data: bytes, *, columns: tuple[str, ...], max_bytes: int, max_rows: int) -> tuple[str, int]:
    """The checks made while the person who uploads a file waits, each at C
    speed or bounded: its size, that it is UTF-8 text, its header and that it
    has at most `max_rows` rows. Returns (text, rows); the rows themselves
    are checked by a task."""
    text = decode(data, limit=max_bytes)
    read_header(csv.reader(io.StringIO(text, newline="")), columns)
    return text, count_rows(text, limit=max_rows)


def read_header(reader, columns: tuple[str, ...]) -> tuple[list[str], dict[str, int]]:
    """Read the first row of `reader` and check it names exactly `columns` (in
    any order, any case). Returns (header cells, {column: index}); raises
    ImportRejected for a file that is not CSV, is empty or has the wrong columns."""
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise ImportRejected(_("The file could not be read as CSV: %(error)s") % {"error": error}) from None
    if not header or not any(cell.strip() for cell in header):
        raise ImportRejected(
            _("The file is empty. The first row must name the columns: %(columns)s.") % {"columns": ", ".join(columns)}
        )
    names = [key(cell) for cell in header]
    missing = [column for column in columns if column not in names]
    unexpected = [cell for cell, name in zip(header, names, strict=True) if name not in columns]
    repeated = sorted({name for name in names if name in columns and names.count(name) > 1})
    if missing or unexpected or repeated:
        details = []
        if missing:
            details.append(_("missing: %(columns)s") % {"columns": ", ".join(missing)})
        if unexpected:
            details.append(_("not expected: %(columns)s") % {"columns": ", ".join(unexpected)})
        if repeated:
            details.append(_("given twice: %(columns)s") % {"columns": ", ".join(repeated)})
        raise ImportRejected(
            _("The file has the wrong columns (%(details)s). The first row must name these columns: %(columns)s.")
            % {"details": "; ".join(details), "columns": ", ".join(columns)}
        )
    return header, {name: names.index(name) for name in columns}


def read_csv(text: str, columns: tuple[str, ...], progress: Callable[[int], None] | None = None):
    """Yield (line number, {column: stripped text}) for each non-blank row of a
    CSV whose first row names exactly `columns` (in any order, any case).
    A row with the wrong number of cells yields (line, None). Raises
    ImportRejected for a file that is not CSV or has the wrong columns.
    `progress`, if given, is told how many rows have been read, now and then."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header, at = read_header(reader, columns)
    rows = 0
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            rows += 1
            if progress is not None and rows % PROGRESS_EVERY == 0:
                progress(rows)
            if len(cells) != len(header):
                yield reader.line_num, None
                continue
            yield reader.line_num, {name: cells[index].strip() for name, index in at.items()}
    except csv.Error as error:
        raise ImportRejected(
            _("The file could not be read as CSV at line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None


def rejection(problems: dict) -> ImportRejected:
    """The rejection of a file with bad rows, listing every one in line order."""
    listed = sorted(problems.items())
    message = ngettext(
        "Nothing was imported: %(count)s row has a problem. Correct it and upload the file again.",
        "Nothing was imported: %(count)s rows have problems. Correct them and upload the file again.",
        len(listed),
    )
    return ImportRejected(message % {"count": len(listed)}, problems=listed)


# --- an import's life: kept, checked by a task, confirmed, imported by a task ---------


class CsvImport(models.Model):
    """One uploaded file and how far it has got (see the module's docstring).
    The file's text is kept only until it is imported or refused."""

    class Status(models.TextChoices):
        QUEUED = "queued", gettext_lazy("Waiting to be checked")
        CHECKING = "checking", gettext_lazy("Being checked")
        PENDING = "pending", gettext_lazy("Checked, waiting for confirmation")
        REJECTED = "rejected", gettext_lazy("Cannot be imported")
        APPLYING = "applying", gettext_lazy("Being imported")
        APPLIED = "applied", gettext_lazy("Imported")
        FAILED = "failed", gettext_lazy("Failed")

    BUSY = (Status.QUEUED, Status.CHECKING, Status.APPLYING)

    filename = models.CharField(max_length=255)
    content = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True, help_text=gettext_lazy("What the file will do."))
    message = models.TextField(blank=True, help_text=gettext_lazy("Why the file cannot be imported."))
    problems = models.JSONField(
        default=list, blank=True, help_text=gettext_lazy("The first rows with problems: [line, [reasons]].")
    )
    problem_count = models.PositiveIntegerField(default=0)
    # When its check or its import was last queued (see imports_requeue).
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_busy(self) -> bool:
        return self.status in self.BUSY

    @property
    def percent_checked(self) -> int:
        return min(100, self.rows_checked * 100 // self.rows) if self.rows else 0


def import_queue(model: type[CsvImport], *, filename: str, text: str, rows: int, by, task) -> CsvImport:
    """Keep an uploaded file (already through `read_upload`) and queue `task`
    to check its rows once it is saved."""
    with transaction.atomic():
        record = model.objects.create(
            filename=filename[:255],
            content=text,
            rows=rows,
            uploaded_by=by,
            status=model.Status.QUEUED,
            queued_at=timezone.now(),
        )
        transaction.on_commit(lambda: task_enqueue(task, record.pk))
    return record


def _refused(model: type[CsvImport], pk: int, error: Exception) -> None:
    """Record why a file cannot be imported (a DomainError, such as either
    app's ImportRejected, says so in words), with its first PROBLEMS_KEPT bad
    rows; the file itself (personal data) is not kept. Anything else is a
    failure, logged."""
    if isinstance(error, DomainError):
        problems = list(getattr(error, "problems", ()))
        fields = {
            "status": model.Status.REJECTED,
            "message": error.message,
            "problems": [[line, list(reasons)] for line, reasons in problems[:PROBLEMS_KEPT]],
            "problem_count": len(problems),
        }
    else:
        logger.exception("%s %s failed", model.__name__, pk)
        fields = {"status": model.Status.FAILED, "message": ""}
    model.objects.filter(pk=pk).update(content="", **fields)


def import_check(model: type[CsvImport], *, pk: int, plan: Callable) -> None:
    """The checking task's work: `plan(text, progress)` checks every row and
    returns (what the file would do, as a summary dict; how many rows it has).
    How many rows have been checked is written as it goes, outside any
    transaction, so the import's page sees it."""
    # A task delivered again (its worker died part way) checks the file afresh.
    if not model.objects.filter(pk=pk, status__in=(model.Status.QUEUED, model.Status.CHECKING)).update(
        status=model.Status.CHECKING, rows_checked=0
    ):
        return
    text = model.objects.values_list("content", flat=True).get(pk=pk)
    try:
        summary, rows = plan(text, lambda rows: model.objects.filter(pk=pk).update(rows_checked=rows))
    except Exception as error:
        _refused(model, pk, error)
        return
    model.objects.filter(pk=pk).update(status=model.Status.PENDING, rows=rows, rows_checked=rows, summary=summary)


def import_confirm(model: type[CsvImport], *, record: CsvImport, task) -> None:
    """Queue a checked file for importing; a second confirmation (a double
    click, a second person) queues nothing more."""
    with transaction.atomic():
        if model.objects.filter(pk=record.pk, status=model.Status.PENDING).update(
            status=model.Status.APPLYING, queued_at=timezone.now()
        ):
            transaction.on_commit(lambda: task_enqueue(task, record.pk))


def import_apply(model: type[CsvImport], *, pk: int, apply: Callable) -> None:
    """The importing task's work: `apply(record)` imports a confirmed file in
    one transaction (checking it again); if it refuses the file now, the
    record says why."""
    record = model.objects.filter(pk=pk, status=model.Status.APPLYING).only("pk").first()
    if record is None:
        return
    try:
        apply(record)
    except Exception as error:
        _refused(model, pk, error)


def imports_requeue(model: type[CsvImport], *, check_task, apply_task, now: dt.datetime | None = None) -> int:
    """Queue again each file whose check or import was queued REQUEUE_AFTER ago
    and not started (task_enqueue leaves that to a scheduled job when the
    broker is down). A second task does no harm: a check starts again from
    the first row, an import already made is not made twice. Returns how many
    were queued."""
    now = now or timezone.now()
    queued = 0
    for status, task in ((model.Status.QUEUED, check_task), (model.Status.APPLYING, apply_task)):
        # No queued_at: a file kept before imports recorded it (see the migrations).
        waiting = model.objects.filter(
            models.Q(queued_at__lt=now - REQUEUE_AFTER) | models.Q(queued_at__isnull=True), status=status
        )
        for pk, queued_at in list(waiting.values_list("pk", "queued_at")):
            # Claimed by the update, so a second run of this job does not queue it twice.
            if model.objects.filter(pk=pk, queued_at=queued_at).update(queued_at=now) and task_enqueue(task, pk):
                queued += 1
    return queued
