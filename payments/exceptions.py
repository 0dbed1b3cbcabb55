from core.exceptions import DomainError


class PaymentError(DomainError):
    pass
