"""Large uploads (issue 12: item 10 and the module picture): a file the site
accepts must not tie up a web worker while it is read or decoded."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from elearning.models import ModuleImage
from tests.elearning.factories import ModuleFactory

pytestmark = pytest.mark.django_db


# --- module pictures -------------------------------------------------------------------------


def _one_frame_gif(colour: int, size: tuple[int, int]) -> bytes:
    image = Image.new("P", size, colour)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    out = io.BytesIO()
    image.save(out, "GIF", optimize=False)  # keep the palette as given, so both frames share it
    return out.getvalue()


def _animated_gif(size: tuple[int, int], frames: int) -> bytes:
    """A GIF of `frames` frames of `size`, alternately red and blue. Pillow
    would take seconds and a gigabyte to write 40 large frames, so two are
    written and their image blocks repeated (each block is a whole frame)."""
    red, blue = _one_frame_gif(0, size), _one_frame_gif(1, size)
    flags = red[10]  # the logical screen descriptor: is there a global colour table, and how big
    start = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    assert red[start] == blue[start] == 0x2C and red[-1] == 0x3B  # an image descriptor; the trailer
    blocks = [red[start:-1], blue[start:-1]]
    return red[:start] + b"".join(blocks[n % 2] for n in range(frames)) + b";"


def _upload_picture(client, module, data: bytes, name="animation.gif"):
    return client.post(
        reverse("elearning:staff_image_create", args=[module.pk]),
        {"alt_text": "A flashing square", "image": SimpleUploadedFile(name, data, content_type="image/gif")},
    )


def test_a_40_frame_4999_pixel_square_gif_is_refused_before_it_is_decoded(client, administrator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    module = ModuleFactory()
    data = _animated_gif((4999, 4999), 40)
    assert len(data) < settings.ELEARNING_IMAGE_MAX_BYTES  # under the size limit: only its pixels give it away
    client.force_login(administrator)

    response = _upload_picture(client, module, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "The picture is too large" in page and "40 frames" in page
    assert not ModuleImage.objects.exists()


def test_a_single_frame_over_the_pixel_limit_is_refused(client, administrator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    module = ModuleFactory()
    client.force_login(administrator)

    response = _upload_picture(client, module, _animated_gif((6000, 5000), 1))

    assert "The picture is too large" in response.content.decode()
    assert not ModuleImage.objects.exists()


def test_a_small_animation_is_kept_with_all_its_frames(client, administrator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    module = ModuleFactory()
    client.force_login(administrator)

    _upload_picture(client, module, _animated_gif((200, 100), 12))

    picture = ModuleImage.objects.get(module=module)
    with Image.open(picture.image.path) as kept:
        assert (kept.size, kept.n_frames) == ((200, 100), 12)
