"""Published quotes: delegates' comments the business unit chooses, anonymously,
for the annual report."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..exceptions import EvaluationError
from ..models import TEXT_KINDS, Answer, Quote


@transaction.atomic
def quote_publish(*, answer: Answer, text: str, by) -> Quote:
    """Publish a written answer as an anonymous quote, in the words given
    (trimmed of names, if need be), and only if the delegate agreed that
    their comments may be quoted. Publishing again replaces the wording."""
    if answer.question.kind not in TEXT_KINDS:
        raise EvaluationError(_("Only written comments can be published as quotes."))
    if not answer.response.may_quote:
        raise EvaluationError(
            _("The delegate did not agree to their comments being quoted, so this one cannot be published.")
        )
    text = text.strip()
    if not text:
        raise EvaluationError(_("Enter the words of the quote"))
    quote, _created = Quote.objects.update_or_create(answer=answer, defaults={"text": text, "published_by": by})
    return quote


@transaction.atomic
def quote_withdraw(*, answer: Answer, by) -> None:
    Quote.objects.filter(answer=answer).delete()


def quotes_withdraw_for_person(*, user) -> int:
    """Withdraw every quote copied from this delegate's answers (erasure: a
    published quote is a copy of their words, not a link to them)."""
    deleted, _ = Quote.objects.filter(answer__response__request__booking__user=user).delete()
    return deleted
