"""Files people upload: where private ones live, and what a file really is.

Private files (dossier evidence, verification reports, exports) sit under PRIVATE_ROOT and are served only
through views that check access. A file's type is decided by its first bytes, never by its name or the
browser's claim, so a renamed binary is refused.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage

# Content signatures of the document types the platform accepts as evidence.
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))


def sniff_content_type(head: bytes) -> str | None:
    """The content type the first bytes of a file show (one of SIGNATURES), or None."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_ROOT, never under MEDIA_URL. The root is read on every use, so a settings change
    (tests, a moved volume) takes effect without a restart."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage():
    """Storage callable for private FileFields (a callable, so migrations don't freeze a path)."""
    return PrivateStorage()
