from core.exceptions import DomainError


class AccountError(DomainError):
    pass
