"""Why an evaluation action was refused. Each message is shown to the person as it is."""

from core.exceptions import DomainError


class EvaluationError(DomainError):
    pass


class EvaluationClosedError(EvaluationError):
    """Not open to this person now: closed, not yet open, or not theirs to answer."""


class AlreadySubmittedError(EvaluationError):
    """One response per delegate per stage (and one line manager's view)."""


class MissingAnswersError(EvaluationError):
    """Required questions left unanswered, or answers a question cannot take."""

    def __init__(self, message, question_ids=()):
        super().__init__(message)
        self.question_ids = list(question_ids)


class TemplateEditError(EvaluationError):
    pass
