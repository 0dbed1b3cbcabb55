class DomainError(Exception):
    """A rule of the domain refused an action. The message is shown to the user,
    so it must read as plain English that says what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
