"""Registry seeders: the OCOP classification (reference data) and the demo records, i.e. every published list in
data/ocop-lists and the generated demo producers (idempotent)."""

from pathlib import Path

from django.conf import settings

from ocop.registry.classification import load_classifications
from ocop.registry.demo import seed_demo
from ocop.registry.importing.commit import file_sha256, import_run
from ocop.registry.models import ImportBatch


def seed_reference() -> str:
    """The Annex I classification of every criteria version (reference data, loaded in production too)."""
    counts = load_classifications()
    return "classification: " + ", ".join(f"{code} {n} categories" for code, n in counts.items())


def seed() -> str:
    """Demo: import each sample list not imported yet (by sha256), then the generated demo producers."""
    load_classifications()
    folder = Path(settings.REFERENCE_DATA_DIR) / "ocop-lists"
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
