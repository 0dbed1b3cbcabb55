"""Writing hosted modules: pages, knowledge-check questions and pictures."""

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from ..exceptions import ElearningError
from ..markdown import markdown_problems
from ..models import Choice, Module, ModuleImage, ModulePage, Question

# Pillow format → file extension (and so the content type it is served with).
IMAGE_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}
# Pixels decoded for one picture, all its frames together (a still picture of
# 5,000 by 5,000, or an animation of 40 frames of 790 by 790), and frames at most.
MAX_IMAGE_PIXELS = 25_000_000
MAX_IMAGE_FRAMES = 100


def _require_hosted(module: Module):
    if not module.is_hosted:
        raise ElearningError(_("Only modules on this website have pages and a knowledge check."))


def _number_pages(module: Module, page: ModulePage | None, position: int | None):
    """Put `page` at `position` (1 = first; None or past the end = last) and
    number the module's pages 1, 2, 3 … with no gaps."""
    pages = [p for p in module.pages.select_for_update().order_by("position") if page is None or p.pk != page.pk]
    if page is not None:
        index = len(pages) if position is None else max(0, min(position - 1, len(pages)))
        pages.insert(index, page)
    # Two passes, so no two pages share a number at any moment (the constraint).
    offset = len(pages) + 1000
    for number, each in enumerate(pages, start=1):
        each.position = number + offset
    ModulePage.objects.bulk_update([p for p in pages if p.pk], ["position"])
    for number, each in enumerate(pages, start=1):
        each.position = number
    ModulePage.objects.bulk_update([p for p in pages if p.pk], ["position"])


def module_page_save(
    *, module: Module, title: str, body: str, position: int | None = None, page: ModulePage | None = None
) -> ModulePage:
    """Add or change a page. The Markdown must hold no HTML, outside pictures or
    script links; other pages move along to make room at `position`."""
    _require_hosted(module)
    problems = markdown_problems(body)
    if problems:
        raise ElearningError(" ".join(problems))
    with transaction.atomic():
        Module.objects.select_for_update().filter(pk=module.pk).first()
        page = page or ModulePage(module=module)
        page.title, page.body = title, body
        if page.pk is None:
            page.position = module.pages.count() + 1000
            page.save()
        else:
            page.save(update_fields=["title", "body"])
        _number_pages(module, page, position)
    return page


def module_page_delete(*, page: ModulePage) -> None:
    with transaction.atomic():
        module = Module.objects.select_for_update().get(pk=page.module_id)
        page.delete()
        _number_pages(module, None, None)


def question_save(
    *, module: Module, text: str, choices: list[str], correct: int, explanation: str = "",
    question: Question | None = None,
) -> Question:
    """Add or change a multiple-choice question: two or more answers, one of
    them (`correct`, counted from 0) right. Answers are changed in place, so a
    delegate half way through the check keeps their question."""
    _require_hosted(module)
    choices = [choice.strip() for choice in choices if choice and choice.strip()]
    if len(choices) < 2:
        raise ElearningError(_("Give at least two answers."))
    if not 0 <= correct < len(choices):
        raise ElearningError(_("Choose which answer is correct."))
    with transaction.atomic():
        question = question or Question(module=module)
        question.text, question.explanation = text, explanation
        question.save()
        existing = list(question.choices.order_by("pk"))
        for index, choice_text in enumerate(choices):
            if index < len(existing):
                choice = existing[index]
                choice.text, choice.is_correct = choice_text, index == correct
                choice.save(update_fields=["text", "is_correct"])
            else:
                Choice.objects.create(question=question, text=choice_text, is_correct=index == correct)
        Choice.objects.filter(pk__in=[choice.pk for choice in existing[len(choices):]]).delete()
    return question


def question_delete(*, question: Question) -> None:
    with transaction.atomic():
        question.delete()


def _check_size(image: Image.Image) -> None:
    """Refuse a picture too large to decode, from what its header says: Pillow
    opens lazily, so nothing has been decoded yet (counting a GIF's frames
    skips over their data). A 2 MB GIF of 40 frames of 4,999 by 4,999 pixels
    would otherwise take half a minute and 700 MB to re-encode."""
    if image.format not in IMAGE_FORMATS:
        raise ElearningError(_("Upload a PNG, JPEG, GIF or WebP picture."))
    frames = getattr(image, "n_frames", 1)
    if frames > MAX_IMAGE_FRAMES:
        raise ElearningError(
            _("The picture is too large: it has %(frames)s frames, and an animation may have at most %(most)s.")
            % {"frames": frames, "most": MAX_IMAGE_FRAMES}
        )
    if image.width * image.height * frames > MAX_IMAGE_PIXELS:
        if frames == 1:
            raise ElearningError(_("The picture is too large: make it smaller than 5,000 by 5,000 pixels."))
        raise ElearningError(
            _(
                "The picture is too large: its %(frames)s frames of %(width)s by %(height)s pixels come to more "
                "than 25 million pixels. Use fewer frames or make them smaller."
            )
            % {"frames": frames, "width": image.width, "height": image.height}
        )


def _reencoded(upload) -> tuple[bytes, str]:
    """The picture decoded and written out afresh by Pillow, which drops its
    metadata and anything hidden after the image data (a file that is a
    picture and a web page at once becomes only a picture). SVG is refused:
    it can carry script. Its size is checked before anything is decoded."""
    try:
        with Image.open(upload) as probe:
            _check_size(probe)
            probe.verify()
        upload.seek(0)
        image = Image.open(upload)
        image.load()
    except ElearningError:
        raise
    except Image.DecompressionBombError as error:
        # Pillow's own limit (far above ours) refused the header's dimensions.
        raise ElearningError(_("The picture is too large: make it smaller than 5,000 by 5,000 pixels.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ElearningError(_("The file is not a picture. Upload a PNG, JPEG, GIF or WebP picture.")) from error
    image_format = image.format
    out = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=88)
    elif image_format == "GIF":
        image.save(out, "GIF", save_all=True)
    else:
        image.save(out, image_format)
    return out.getvalue(), IMAGE_FORMATS[image_format]


def module_image_add(*, module: Module, upload, alt_text: str) -> ModuleImage:
    """Store an uploaded picture (size-limited, checked to be one, re-encoded)
    under MEDIA_ROOT with a random name."""
    _require_hosted(module)
    limit = settings.ELEARNING_IMAGE_MAX_BYTES
    if upload.size > limit:
        raise ElearningError(
            _("The picture must be smaller than %(size)s.") % {"size": filesizeformat(limit)}
        )
    if not alt_text.strip():
        raise ElearningError(_("Describe what the picture shows."))
    content, extension = _reencoded(upload)
    image = ModuleImage(module=module, alt_text=alt_text.strip())
    image.image.save(f"picture{extension}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            image.save()
    except Exception:
        image.image.delete(save=False)
        raise
    return image


def module_image_delete(*, image: ModuleImage) -> None:
    """Remove a picture no page shows any more."""
    url = image.get_absolute_url()
    used_on = [page.position for page in image.module.pages.all() if url in page.body]
    if used_on:
        raise ElearningError(
            _("Page %(pages)s still shows this picture. Take it out of the page first.")
            % {"pages": ", ".join(map(str, used_on))}
        )
    with transaction.atomic():
        name = image.image.name
        image.delete()
        transaction.on_commit(lambda: image.image.storage.delete(name))
