"""Find what an import row already has in the registry, so importing the same list twice changes nothing.

Subjects are the same when their normalised names agree within the same current province ("Hòa Qúy" and
"Hòa Quý", "HTX X" and "Hợp tác xã X" meet), or when they share a tax code. Products are the same when their
normalised names agree within the same subject. Certificates are the same when product, stars, decision and
start date agree.
"""

from ocop.core.text import fold_compact
from ocop.registry.models import CriteriaVersion, Product, ProductCategory, Subject
from ocop.registry.rules import subject_name_key

CHUNK = 500  # ids/keys per IN (...) query: well under SQLite's limit on bound parameters


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


class SubjectIndex:
    """Subjects by (name key, current province) and by tax code. `preload` fetches, in a few queries, every
    existing subject a file may match; without it each key costs one query on first use."""

    def __init__(self):
        self._by_key: dict[tuple[str, str], Subject] = {}
        self._by_tax: dict[str, Subject] = {}
        self._loaded_keys: set[str] = set()

    def preload(self, *, name_keys, tax_codes) -> None:
        """Fill the cache for these name keys (any province) and tax codes; keys not found are cached as absent."""
        name_keys, tax_codes = sorted(set(name_keys)), sorted(set(tax_codes) - {""})
        for codes in _chunks(tax_codes):
            for subject in Subject.objects.filter(tax_code__in=codes).order_by("id"):
                self._by_tax.setdefault(subject.tax_code, subject)
        for code in tax_codes:
            self._by_tax.setdefault(code, None)
        found: dict[tuple[str, str], Subject] = {}
        for keys in _chunks(name_keys):
            for subject in Subject.objects.filter(name_key__in=keys).order_by("name_key", "id"):
                found.setdefault((subject.name_key, subject.province_code), subject)
        self._loaded_keys.update(name_keys)
        self._by_key.update(found)

    def find(self, *, name: str, province_code: str, tax_code: str = "", name_key: str = "") -> Subject | None:
        """`name_key`, when given, is `subject_name_key(name)` already computed by the caller."""
        key = (name_key or subject_name_key(name), province_code)
        if tax_code:
            if tax_code not in self._by_tax:
                self._by_tax[tax_code] = Subject.objects.filter(tax_code=tax_code).first()
            if self._by_tax[tax_code] is not None:
                return self._by_tax[tax_code]
        if key not in self._by_key:
            if key[0] in self._loaded_keys:
                return None
            self._by_key[key] = Subject.objects.filter(name_key=key[0], province_code=province_code).first()
        return self._by_key[key]

    def remember(self, subject: Subject) -> None:
        self._by_key[(subject.name_key, subject.province_code)] = subject
        if subject.tax_code:
            self._by_tax[subject.tax_code] = subject


class ProductIndex:
    """Products by (subject, name key). `preload` fetches the products of existing subjects in a few queries."""

    def __init__(self):
        self._cache: dict[tuple[int, str], Product | None] = {}
        self._loaded_subjects: set[int] = set()

    def preload(self, subject_ids) -> None:
        ids = sorted(set(subject_ids) - self._loaded_subjects)
        for chunk in _chunks(ids):
            for product in Product.objects.filter(subject_id__in=chunk).order_by("id"):
                self._cache.setdefault((product.subject_id, product.name_key), product)
        self._loaded_subjects.update(ids)

    def find(self, *, subject: Subject, name: str) -> Product | None:
        key = (subject.pk, fold_compact(name))
        if key not in self._cache:
            if subject.pk is None or subject.pk in self._loaded_subjects:
                return None
            self._cache[key] = Product.objects.filter(subject=subject, name_key=key[1]).first()
        return self._cache[key]

    def remember(self, product: Product) -> None:
        self._cache[(product.subject_id, product.name_key)] = product


# Loose group names in published lists → a fragment of the Annex I industry name (folded, compact).
# "Thảo dược" was 1048's industry; 148 and 26/2026 call it "dược liệu".
GROUP_ALIASES = {"thaoduoc": "duoclieu", "thucongmynghe": "thucongmynghe", "sinhvatcanh": "sinhvatcanh"}


class CategoryMapper:
    """Maps a free-text product group to the most specific category of a criteria version."""

    def __init__(self):
        if not CriteriaVersion.objects.exists():
            # A fresh database (first import before seeding): the classification is reference data.
            from ocop.registry.classification import load_classifications

            load_classifications()
        self._versions = {v.code: v for v in CriteriaVersion.objects.all()}
        self._cache: dict[tuple[str, str], ProductCategory | None] = {}

    def version_for(self, on) -> CriteriaVersion | None:
        """The criteria version in force on a date (by effective date); the current one when unknown."""
        dated = sorted((v for v in self._versions.values() if v.effective_on), key=lambda v: v.effective_on)
        if on is None:
            return next((v for v in dated if v.is_current), dated[-1] if dated else None)
        chosen = None
        for version in dated:
            if version.effective_on <= on:
                chosen = version
        return chosen or (dated[0] if dated else None)

    def map(self, text: str, version: CriteriaVersion | None) -> ProductCategory | None:
        key = fold_compact(text)
        if not key or version is None:
            return None
        cache_key = (key, version.code)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._lookup(key, version)
        return self._cache[cache_key]

    def _lookup(self, key: str, version: CriteriaVersion) -> ProductCategory | None:
        categories = list(ProductCategory.objects.filter(version=version).order_by("position"))
        exact = [c for c in categories if c.name_key == key]
        if exact:
            # The deepest level wins: "Rau, củ, quả, hạt tươi" is both a subgroup and a product set.
            order = ["product_set", "subgroup", "group", "industry"]
            return sorted(exact, key=lambda c: order.index(c.level))[0]
        fragment = GROUP_ALIASES.get(key, key)
        industries = [c for c in categories if c.level == ProductCategory.Level.INDUSTRY and fragment in c.name_key]
        return industries[0] if industries else None
