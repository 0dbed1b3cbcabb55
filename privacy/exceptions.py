from core.exceptions import DomainError


class ErasureError(DomainError):
    pass
