"""Hero images: validation refuses bad uploads safely, renditions are right and metadata-free."""

import contextlib
import io
import time
import warnings

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile, PngImagePlugin

from blog import images
from blog.images import (
    MAX_PIXELS,
    MAX_SIDE,
    MAX_UPLOAD_BYTES,
    Rendition,
    generate_demo_image,
    make_renditions,
    renditions_from_json,
    renditions_to_json,
    validate_hero_image,
)


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def photo(size=(1200, 800), mode="RGB") -> Image.Image:
    """Not a flat colour, so encoders have real work to do and truncation bites."""
    image = Image.linear_gradient("L").resize(size).convert(mode)
    return image


def upload(data: bytes, name="hero.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def assert_refused(file, code: str) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        validate_hero_image(file)
    assert excinfo.value.code == code
    return excinfo.value


# --- Validation ------------------------------------------------------------------------------


def transparent_png() -> bytes:
    image = Image.new("RGBA", (1000, 600), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (0, 0, 500, 600))
    return encode(image, "PNG")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(encode(photo(), "JPEG"), id="jpeg"),
        pytest.param(transparent_png(), id="png-with-transparency"),
        pytest.param(encode(photo(), "WEBP"), id="webp"),
        pytest.param(encode(photo((800, 400)), "JPEG"), id="exactly-min-width"),
    ],
)
def test_valid_images_pass(data):
    validate_hero_image(upload(data))
    validate_hero_image(io.BytesIO(data))


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b"Dear staff, this is a text file.\n" * 20, "not_an_image", id="text"),
        pytest.param(b"", "not_an_image", id="empty"),
        pytest.param(encode(photo((1000, 600), "L"), "GIF"), "unsupported_format", id="gif"),
        pytest.param(encode(photo((1000, 600)), "BMP"), "unsupported_format", id="bmp"),
        pytest.param(encode(photo((400, 300)), "JPEG"), "too_small", id="400-wide"),
    ],
)
def test_refused(data, code):
    assert_refused(upload(data), code)


def test_messages_are_specific():
    gif = assert_refused(upload(encode(photo((1000, 600), "L"), "GIF")), "unsupported_format")
    assert "GIF" in gif.message and "JPEG" in gif.message
    small = assert_refused(upload(encode(photo((400, 300)), "JPEG")), "too_small")
    assert small.message == "This image is only 400 pixels wide; hero images need at least 800."
    text = assert_refused(upload(b"hello"), "not_an_image")
    assert "JPEG, PNG or WebP" in text.message


def test_file_over_the_byte_limit_is_refused_before_reading():
    big = upload(encode(photo(), "JPEG"))
    big.size = int(14.2 * 1024 * 1024)
    error = assert_refused(big, "too_large_file")
    assert error.message == "This file is 14.2 MB; the largest we accept is 10 MB."


def test_byte_size_of_a_plain_file_object_is_measured(monkeypatch):
    data = encode(photo(), "JPEG")
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", len(data) - 1)
    assert_refused(io.BytesIO(data), "too_large_file")
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", len(data))
    validate_hero_image(io.BytesIO(data))


def bilevel_png(size) -> bytes:
    # A 1-bit blank image: megapixels of nothing compress to a few kilobytes.
    return encode(Image.new("1", size), "PNG")


@pytest.mark.parametrize(
    "size",
    [
        pytest.param((20000, 20000), id="past-pillow-error-limit"),
        pytest.param((12000, 9000), id="past-pillow-warning-limit"),
        pytest.param((MAX_SIDE + 1, 1000), id="one-side-too-long"),
        pytest.param((7000, 6000), id="under-max-side-over-max-pixels"),
    ],
)
def test_decompression_bombs_are_refused_without_decoding(size, monkeypatch):
    data = bilevel_png(size)
    assert len(data) < MAX_UPLOAD_BYTES

    def must_not_decode(*args, **kwargs):
        raise AssertionError("decoded pixels of an oversized image")

    monkeypatch.setattr(ImageFile.ImageFile, "load", must_not_decode)
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "verify", must_not_decode)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pytest already does; this test is about it
        error = assert_refused(upload(data, "bomb.png"), "too_many_pixels")
    assert f"{MAX_SIDE} pixels on a side" in error.message


@pytest.mark.parametrize("size", [(12000, 9000), (7000, 6000), (6000, 7000)])
def test_bomb_message_gives_dimensions(size):
    width, height = size
    error = assert_refused(upload(bilevel_png(size)), "too_many_pixels")
    assert error.message.startswith(f"This image is {width} × {height} pixels;")
    assert max(size) > MAX_SIDE or width * height > MAX_PIXELS


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_image_is_corrupt(fmt):
    data = encode(photo((1200, 800), "RGB"), fmt)
    assert_refused(upload(data[: len(data) // 2]), "corrupt")


@pytest.mark.parametrize(
    "data", [encode(photo(), "JPEG"), b"not an image", bilevel_png((20000, 20000))]
)
def test_file_position_is_restored(data):
    file = upload(data)
    file.read(7)
    with contextlib.suppress(ValidationError):
        validate_hero_image(file)
    assert file.tell() == 0


# --- Renditions ------------------------------------------------------------------------------


@pytest.fixture
def storage():
    return InMemoryStorage()


def test_renditions_at_every_width_keep_aspect_ratio(storage):
    source = upload(encode(photo((2000, 1000)), "JPEG"))
    renditions = make_renditions(source, storage=storage, prefix="hero/calm")

    assert [(r.width, r.height) for r in renditions] == [
        (480, 240),
        (800, 400),
        (1200, 600),
        (1600, 800),
    ]
    for r in renditions:
        assert r.webp == f"hero/calm-{r.width}.webp"
        assert r.fallback == f"hero/calm-{r.width}.jpg"
        for name, fmt in ((r.webp, "WEBP"), (r.fallback, "JPEG")):
            with storage.open(name) as f, Image.open(f) as im:
                assert (im.format, im.size, im.mode) == (fmt, (r.width, r.height), "RGB")


@pytest.mark.parametrize(
    ("width", "expected"),
    [(900, [480, 800]), (1600, [480, 800, 1200, 1600]), (480, [480]), (300, [300])],
)
def test_only_widths_up_to_the_original(storage, width, expected):
    source = io.BytesIO(encode(photo((width, width // 2)), "PNG"))
    renditions = make_renditions(source, storage=storage, prefix="p")
    assert [r.width for r in renditions] == expected


def test_names_chosen_by_storage_are_kept(storage):
    data = encode(photo((600, 300)), "JPEG")
    first = make_renditions(io.BytesIO(data), storage=storage, prefix="same")
    second = make_renditions(io.BytesIO(data), storage=storage, prefix="same")
    assert first[0].webp != second[0].webp
    assert storage.exists(second[0].webp) and storage.exists(second[0].fallback)


def test_transparency_is_flattened_onto_white(storage):
    renditions = make_renditions(io.BytesIO(transparent_png()), storage=storage, prefix="t")
    with storage.open(renditions[-1].fallback) as f, Image.open(f) as im:
        right = im.getpixel((im.width - 5, im.height // 2))
        left = im.getpixel((5, im.height // 2))
    assert all(channel > 245 for channel in right)
    assert left[0] > 150 > left[1]


def test_exif_orientation_applied_and_metadata_stripped(storage):
    # Stored landscape, red on the left; orientation 6 means "rotate 90° clockwise to view",
    # which turns it into a portrait with red on top.
    image = Image.new("RGB", (2000, 1000), "blue")
    image.paste("red", (0, 0, 1000, 1000))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SecretCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.0)
    data = encode(image, "JPEG", exif=exif, quality=95)
    assert b"SecretCam" in data

    renditions = make_renditions(io.BytesIO(data), storage=storage, prefix="rotated")

    assert [(r.width, r.height) for r in renditions] == [(480, 960), (800, 1600)]
    for r in renditions:
        for name in (r.webp, r.fallback):
            with storage.open(name) as f:
                raw = f.read()
            assert b"SecretCam" not in raw and b"Exif" not in raw
            with Image.open(io.BytesIO(raw)) as im:
                assert not im.getexif()
                assert "exif" not in im.info
                top, bottom = im.getpixel((im.width // 2, 10)), im.getpixel((im.width // 2, -10))
            assert top[0] > 200 > top[2]
            assert bottom[2] > 200 > bottom[0]


def test_json_round_trip():
    renditions = [
        Rendition(800, 450, "a-800.webp", "a-800.jpg"),
        Rendition(480, 270, "a.webp", "a.jpg"),
    ]
    data = renditions_to_json(renditions)
    assert data[0] == {"width": 800, "height": 450, "webp": "a-800.webp", "fallback": "a-800.jpg"}
    assert renditions_from_json(data) == sorted(renditions, key=lambda r: r.width)
    assert renditions_from_json(None) == []
    assert renditions_from_json([]) == []


# --- Demo images -----------------------------------------------------------------------------


def test_demo_image_is_deterministic_valid_jpeg():
    palette = ("#2f6f73", "#e8d9c4")
    first = generate_demo_image("ketamine-faq", palette)
    assert first == generate_demo_image("ketamine-faq", palette)
    assert first != generate_demo_image("another-article", palette)
    with Image.open(io.BytesIO(first)) as im:
        assert (im.format, im.size) == ("JPEG", (1600, 900))
    validate_hero_image(upload(first))


def test_demo_image_honours_size():
    data = generate_demo_image("x", ("#000000", "#ffffff"), size=(1200, 630))
    with Image.open(io.BytesIO(data)) as im:
        assert im.size == (1200, 630)


def test_renditions_of_a_demo_image_are_quick(storage):
    source = io.BytesIO(generate_demo_image("speed", ("#3b4a7a", "#f2c6b4")))
    started = time.perf_counter()
    renditions = make_renditions(source, storage=storage, prefix="speed")
    assert len(renditions) == 4
    assert time.perf_counter() - started < 10  # generous: catches pathological slowness only
