from core.exceptions import DomainError


class ElearningError(DomainError):
    """An e-learning rule refused an action (see DomainError)."""


class ImportRejected(ElearningError):
    """A provider file that cannot be imported. `problems` lists every bad row
    as (line number, [reasons]); nothing of the file was imported."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)
