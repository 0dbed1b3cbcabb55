"""What every CSV import of the site needs before it looks at a row: the file
checked for size, binary content and encoding; the header checked against the
columns expected; names compared as people read them. (The e-learning import
grew its own copies of these while this was written; it can move onto these.)
"""

import csv
import io
import re

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .exceptions import DomainError

_SPACES = re.compile(r"\s+")


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


def read_csv(text: str, columns: tuple[str, ...]):
    """Yield (line number, {column: stripped text}) for each non-blank row of a
    CSV whose first row names exactly `columns` (in any order, any case).
    A row with the wrong number of cells yields (line, None). Raises
    ImportRejected for a file that is not CSV or has the wrong columns."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header, at = read_header(reader, columns)
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
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
