"""Hero images for articles: validation, responsive renditions and calm demo artwork.

* Layout must not shift: every rendition records its width and height, so templates can set
  ``width``/``height`` and the browser reserves the space before the image arrives.
* Pages must be fast: a phone gets a 480 px WebP, not the photographer's 6000 px original,
  with a progressive JPEG for browsers without WebP.
* A malicious upload must not exhaust memory: a tiny file can declare enormous dimensions
  (a "decompression bomb"), so the declared size is checked from the header before a single
  pixel is decoded; only then is the file fully decoded to catch truncation.
* Privacy: EXIF (camera serials, the GPS position of someone's home) never reaches the
  published files, nor the stored original: it is decoded and encoded again without any
  metadata before it is saved (``sanitised_original``).
* Nothing but an image is ever served from our origin: an upload is accepted only when its
  name ends in an allowed extension *and* Pillow decodes it as JPEG, PNG or WebP; it is
  stored under a name the server makes (never the uploaded one, so never ``poly.html``),
  and re-encoding drops anything appended to the image (a script after a JPEG's end).
"""

from __future__ import annotations

import io
import math
import random
import re
import uuid
import warnings
from dataclasses import asdict, dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image, ImageChops, ImageColor, ImageDraw, ImageFilter, ImageOps

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 8000  # pixels, either side
MAX_PIXELS = 40_000_000  # width * height
MIN_WIDTH = 800  # hero images narrower than this look blurry
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
ALLOWED_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}
STORED_EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}  # by decoded format
SERVER_MADE_NAME = re.compile(r"articles/[0-9a-f]{32}\.(jpg|png|webp)")  # sanitised_original's
RENDITION_WIDTHS = (480, 800, 1200, 1600)

_MB = 1024 * 1024
_ACCEPTED = "Upload a JPEG, PNG or WebP photo."
# Everything Pillow raises for a file it cannot make sense of.
_PIL_ERRORS = (Image.UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)
_JPEG = {"quality": 82, "optimize": True, "progressive": True}


def validate_hero_image(file: IO[bytes] | Any) -> None:
    """Raise ValidationError (with a specific ``code``) unless ``file`` is a usable hero image."""
    if getattr(file, "closed", False) and hasattr(file, "open"):
        file.open("rb")  # a FieldFile whose underlying file has been closed
    try:
        _validate(file)
    finally:
        file.seek(0)  # the caller (a form, the storage) reads it again from the start


def _validate(file: IO[bytes] | Any) -> None:
    name = getattr(file, "name", None)
    if isinstance(name, str):  # an upload always has one; a bare stream (tests) has none
        extension = name.rpartition(".")[2].lower() if "." in name else ""
        if extension not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                f"Only files ending in .jpg, .jpeg, .png or .webp are accepted. {_ACCEPTED}",
                code="unsupported_extension",
            )
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, io.SEEK_END)
    if size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            f"This file is {size / _MB:.1f} MB; the largest we accept is "
            f"{MAX_UPLOAD_BYTES / _MB:g} MB.",
            code="too_large_file",
        )

    try:
        # Pillow warns about big images (our own limits below are stricter) and about
        # formats it failed to identify (we say so ourselves): noise, not news.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(file) as im:  # lazy: reads the header only
                image_format, (width, height) = im.format, im.size
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels("This image has far too many pixels") from exc
    except Image.UnidentifiedImageError as exc:
        raise ValidationError(
            f"This file is not an image we can read. {_ACCEPTED}", code="not_an_image"
        ) from exc
    except _PIL_ERRORS as exc:
        raise _corrupt() from exc

    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            f"This is a {image_format} image; we only accept JPEG, PNG or WebP. "
            "Please export it as a JPEG (for photos) or PNG and upload that.",
            code="unsupported_format",
        )
    if max(width, height) > MAX_SIDE or width * height > MAX_PIXELS:
        raise _too_many_pixels(f"This image is {width} × {height} pixels")
    if width < MIN_WIDTH:
        raise ValidationError(
            f"This image is only {width} pixels wide; hero images need at least {MIN_WIDTH}.",
            code="too_small",
        )

    # verify() checks structure (e.g. PNG checksums) but not that all pixel data is there;
    # load() catches truncation.  An image can be used once only after verify().
    try:
        with Image.open(file) as im:
            im.verify()
        with Image.open(file) as im:
            im.load()
    except _PIL_ERRORS as exc:
        raise _corrupt() from exc


def _too_many_pixels(what: str) -> ValidationError:
    return ValidationError(
        f"{what}; the largest we accept is {MAX_SIDE} pixels on a side "
        f"({MAX_PIXELS // 1_000_000} megapixels in all). Please resize it and try again.",
        code="too_many_pixels",
    )


def _corrupt() -> ValidationError:
    return ValidationError(
        "This image appears to be damaged or incomplete. Please export it again and re-upload.",
        code="corrupt",
    )


def sanitised_original(file: IO[bytes] | Any) -> ContentFile:
    """The (validated) upload decoded and encoded again in its own format, under a name the
    server makes: no metadata but a colour profile, nothing appended, upright.

    Done in the request, before anything is stored, so that the original with its GPS
    position is never on disk, not even until the task worker runs; one decode and encode
    is a small part of what the renditions cost (those are made by the worker).
    """
    file.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # our own pixel limits were checked already
        with Image.open(file) as original:
            image_format = original.format
            icc = original.info.get("icc_profile")
            image = ImageOps.exif_transpose(original)
    if image_format == "JPEG":
        if image.mode not in ("L", "RGB"):
            image, icc = _flatten(image), None  # a CMYK profile no longer fits RGB pixels
        options: dict[str, Any] = {"quality": 92}
    else:
        if image.mode not in ("RGB", "RGBA") or "transparency" in image.info:
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            # A palette's transparency lives in the metadata cleared below: keep it as alpha.
            image = image.convert("RGBA" if has_alpha else "RGB")
        options = {"quality": 90} if image_format == "WEBP" else {}
    image.info.clear()  # EXIF, XMP, text chunks, comments: none of it is kept
    if icc:
        options["icc_profile"] = icc
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return ContentFile(
        buffer.getvalue(), name=f"{uuid.uuid4().hex}.{STORED_EXTENSION[image_format]}"
    )


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    webp: str  # storage name of the WebP file
    fallback: str  # storage name of the JPEG file


def make_renditions(file: IO[bytes] | Any, *, storage: Storage, prefix: str) -> list[Rendition]:
    """Save a WebP and a JPEG of the (validated) image at each width in RENDITION_WIDTHS."""
    file.seek(0)
    with Image.open(file) as original:
        # Keep a colour profile only where it still describes the pixels (a CMYK profile
        # would be wrong once converted); dropping it would shift wide-gamut photos' colours.
        icc = original.info.get("icc_profile") if original.mode in ("RGB", "RGBA") else None
        image = _flatten(ImageOps.exif_transpose(original))
    # Nothing from the source's metadata may travel to the outputs (GPS, camera serials).
    image.info.clear()
    extra = {"icc_profile": icc} if icc else {}

    widths = [w for w in RENDITION_WIDTHS if w <= image.width] or [image.width]
    renditions = []
    for width in sorted(widths):
        height = max(1, round(image.height * width / image.width))
        resized = image
        if width != image.width:
            # reducing_gap: a cheap box pre-shrink; indistinguishable from pure LANCZOS here.
            resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        webp = _save(storage, f"{prefix}-{width}.webp", resized, "WEBP", quality=80, method=6)
        jpeg = _save(storage, f"{prefix}-{width}.jpg", resized, "JPEG", **_JPEG, **extra)
        renditions.append(Rendition(width=width, height=height, webp=webp, fallback=jpeg))
    return renditions


def _flatten(image: Image.Image) -> Image.Image:
    """RGB, with any transparency composited onto white (JPEG has no alpha channel)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _save(storage: Storage, name: str, image: Image.Image, fmt: str, **options: Any) -> str:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    # The storage may rename to avoid clobbering an existing file; keep the name it chose.
    return storage.save(name, ContentFile(buffer.getvalue()))


def renditions_to_json(renditions: list[Rendition]) -> list[dict]:
    return [asdict(r) for r in renditions]


def renditions_from_json(data: list[dict] | None) -> list[Rendition]:
    renditions = [
        Rendition(int(d["width"]), int(d["height"]), str(d["webp"]), str(d["fallback"]))
        for d in data or []
    ]
    return sorted(renditions, key=lambda r: r.width)


def generate_demo_image(
    seed: str, palette: tuple[str, str], size: tuple[int, int] = (1600, 900)
) -> bytes:
    """A calm abstract hero image as JPEG bytes; the same seed always gives the same bytes."""
    rng = random.Random(seed)
    width, height = size
    start, end = (ImageColor.getrgb(c)[:3] for c in palette)

    # Diagonal gradient: average a left-to-right and a top-to-bottom ramp.
    vertical = Image.linear_gradient("L").resize(size)
    horizontal = Image.linear_gradient("L").rotate(90).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    ramp = ImageChops.add(vertical, horizontal.resize(size), scale=2)
    base = Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), ramp)

    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    short = min(size)
    for _ in range(rng.randint(3, 5)):
        radius = short * rng.uniform(0.15, 0.45)
        cx, cy = width * rng.uniform(0, 1), height * rng.uniform(0, 1)
        tint = rng.choice([(255, 255, 255), start, end])
        box = (cx - radius, cy - radius, cx + radius, cy + radius)
        draw.ellipse(box, fill=(*tint, rng.randint(30, 70)))
    for _ in range(rng.randint(1, 2)):
        # A gentle wave: a smooth curve of a few control points, heavily blurred below.
        y0, amplitude = height * rng.uniform(0.3, 0.8), height * rng.uniform(0.04, 0.1)
        phase, waves = rng.uniform(0, math.tau), rng.uniform(0.8, 1.6)
        points = [
            (x, y0 + amplitude * math.sin(phase + waves * math.tau * x / width))
            for x in range(-20, width + 21, 20)
        ]
        draw.line(points, fill=(255, 255, 255, rng.randint(40, 70)), width=max(2, short // 40))
    # Blur premultiplied ("RGBa"), or the transparent black around shapes bleeds in as grey halos.
    overlay = overlay.convert("RGBa").filter(ImageFilter.GaussianBlur(short / 30)).convert("RGBA")

    image = Image.alpha_composite(base.convert("RGBA"), overlay).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()
