"""Demo data: the OCOP classification and every published list in ../shared/data/ocop-lists (idempotent)."""

from pathlib import Path

from django.conf import settings

from ocop.registry.classification import load_classifications
from ocop.registry.demo import seed_demo
from ocop.registry.importing.commit import file_sha256, import_run
from ocop.registry.models import ImportBatch


def seed() -> str:
    """Load classifications and import each list not imported yet (by sha256). Returns a one-line summary."""
    load_classifications()
    folder = Path(settings.SHARED_DATA_DIR) / "ocop-lists"
    imported = skipped = products = 0
    failed = []
    for path in sorted(folder.glob("*.csv")):
        data = path.read_bytes()
        if ImportBatch.objects.filter(sha256=file_sha256(data)).exists():
            skipped += 1
            continue
        result = import_run(data=data, filename=path.name)
        if result.committed:
            imported += 1
            products += result.created_products
        else:
            failed.append(path.name)
    message = f"{imported} lists imported ({products} products), {skipped} already there"
    message += f"; failed: {', '.join(failed)}" if failed else ""
    return f"{message}; {seed_demo()}"
