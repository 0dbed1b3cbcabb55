"""Exports to CSV and XLSX that a spreadsheet cannot be tricked into running.

A cell that starts with =, +, -, @ (or a tab or carriage return) is read as a
formula by Excel and LibreOffice, so a name such as `=cmd|' /C calc'!A0` in
imported data could run a command on the reader's computer. Such text is
written with a leading apostrophe, as OWASP advises; numbers are left alone.
"""

from django_tables2.export import TableExport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    """django-tables2's export with every text cell made formula-safe."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        safe = [tuple(spreadsheet_safe(value) for value in row) for row in dataset]
        headers = [spreadsheet_safe(header) for header in dataset.headers or []]
        dataset.wipe()
        dataset.headers = headers
        for row in safe:
            dataset.append(row)
        return dataset
