"""Counterfeit signals as pure rules over one scan and what is known about its serial (no ORM).

A printed QR code is easy to copy (anchors: consumer forum on copied codes), so a valid signature proves only
that the code was issued once. The signals below look at how an issued code is used.
"""

import datetime
from dataclasses import dataclass

BAD_CODE = "bad_code"
UNISSUED = "unissued"
OVER_SCANNED = "over_scanned"
DISTANT_SCANS = "distant_scans"
AFTER_REVOCATION = "after_revocation"
VOIDED_BATCH = "voided_batch"

DEFAULT_MAX_SCANS = 20
DEFAULT_DISTANT_WINDOW = datetime.timedelta(hours=24)


@dataclass(frozen=True)
class ScanFacts:
    """What a rule needs to know about one scan."""

    at: datetime.datetime
    outcome: str  # ScanOutcome value
    mac_ok: bool  # False for malformed or forged codes
    issued: bool  # a batch holds the serial
    previous_scans: int = 0  # earlier scans of the same serial
    province_code: str = ""


@dataclass(frozen=True)
class PlacedScan:
    at: datetime.datetime
    province_code: str


def signals_for_scan(facts: ScanFacts, *, max_scans: int = DEFAULT_MAX_SCANS) -> list[str]:
    """Alert kinds raised by this scan alone. A code with a bad MAC says nothing more (its serial may be anyone's);
    an issued serial raises over-scanning once it passes `max_scans`, and revoked/voided scans always count."""
    if not facts.mac_ok:
        return [BAD_CODE]
    if not facts.issued:
        return [UNISSUED]
    kinds = []
    if facts.previous_scans + 1 > max_scans:
        kinds.append(OVER_SCANNED)
    if facts.outcome == "revoked":
        kinds.append(AFTER_REVOCATION)
    if facts.outcome == "voided":
        kinds.append(VOIDED_BATCH)
    return kinds


def distant_scan(
    current: PlacedScan, earlier: list[PlacedScan], *, window: datetime.timedelta = DEFAULT_DISTANT_WINDOW
) -> PlacedScan | None:
    """An earlier scan of the same serial in another province within `window`, if any: one physical stamp does
    not travel between provinces that fast (two copies of it do)."""
    if not current.province_code:
        return None
    for scan in earlier:
        if scan.province_code and scan.province_code != current.province_code and abs(current.at - scan.at) <= window:
            return scan
    return None
