"""A round's scoring at a glance for officers: members' totals against the council mean (outliers marked),
the spread per criterion and the distribution of results by star — tables with CSS bars."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ocop.backoffice.councils import common
from ocop.core.errors import DomainError
from ocop.evaluation.models import CouncilMember, Criterion
from ocop.evaluation.selectors import council_round_analytics

TEMPLATES = "backoffice/councils/"


def _percent(value, maximum) -> int:
    return 0 if not maximum else min(100, round(100 * abs(value) / maximum))


def _member_rows(data, dossiers):
    seats = CouncilMember.objects.select_related("user").in_bulk([int(m) for m in data["members"]])
    rows = []
    for member_id, info in data["members"].items():
        seat = seats.get(int(member_id))
        for row in info["rows"]:
            dossier = dossiers.get(row["dossier"], {})
            rows.append(
                {
                    "member": seat,
                    "product": dossier.get("product", ""),
                    "total": row["total"],
                    "mean": Decimal(dossier["mean"]) if dossier.get("mean") else "",
                    "deviation": round(row["deviation"], 2),
                    "outlier": row["outlier"],
                    "bar": _percent(row["deviation"], 20),
                }
            )
    rows.sort(key=lambda r: (r["product"], r["member"].user.display_name if r["member"] else ""))
    summary = [
        {"member": seats.get(int(m)), "scored": info["scored"], "outliers": info["outliers"]}
        for m, info in data["members"].items()
    ]
    return rows, summary


def _criteria_rows(data):
    keys = {int(k) for d in data["dossiers"] for k in d["criteria_spread"]}
    criteria = Criterion.objects.in_bulk(list(keys))
    rows = []
    for dossier in data["dossiers"]:
        for key, spread in sorted(dossier["criteria_spread"].items(), key=lambda kv: criteria[int(kv[0])].position):
            criterion = criteria[int(key)]
            rows.append(
                {
                    "product": dossier["product"],
                    "code": criterion.code,
                    "text": criterion.text,
                    "spread": spread,
                    "max": criterion.max_points,
                    "bar": _percent(spread, criterion.max_points),
                }
            )
    return rows


@login_required
def round_analytics(request, round_id: int):
    common.ensure_council_manager(request.user)
    round_ = common.round_get_for_manager(request.user, round_id)
    try:
        data = council_round_analytics(user=request.user, round_=round_)
    except DomainError as exc:
        raise common.http_error(exc) from exc
    dossiers = {d["dossier"]: d for d in data["dossiers"]}
    member_rows, member_summary = _member_rows(data, dossiers)
    total = sum(data["stars"].values())
    stars = [
        {"star": star, "count": data["stars"].get(star, 0), "bar": _percent(data["stars"].get(star, 0), total)}
        for star in (5, 4, 3, 2, 1)
    ]
    context = {
        "round": round_,
        "dossiers": data["dossiers"],
        "member_rows": member_rows,
        "member_summary": member_summary,
        "criteria_rows": _criteria_rows(data),
        "stars": stars,
        "total": total,
    }
    return render(request, TEMPLATES + "round_analytics.html", context)
