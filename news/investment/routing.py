"""Which desk answers an enquiry: a pure function of the enquiry's facts and the desks' (spec 1, rule 2).

In order: the project's desk; else the desk of the zone the enquiry is about; else the desks
whose sectors and regions both match; else those whose sectors match; else those whose regions
match. Among those, a desk that replies in the
enquiry's language is preferred. With no match, the default desk takes it if it replies in the
language, else a desk that does; failing all, the default desk. Ties go to the desk with the
fewest open enquiries, then the first in order.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DeskFacts:
    """What routing needs to know of a desk; ``open_count`` is its open enquiries."""

    id: int
    sectors: frozenset = field(default_factory=frozenset)
    regions: frozenset = field(default_factory=frozenset)
    languages: frozenset = field(default_factory=frozenset)
    is_default: bool = False
    open_count: int = 0


def _least_busy(desks):
    return min(desks, key=lambda desk: (desk.open_count, desks.index(desk))).id


def route(desks, *, language, sectors=frozenset(), region=None, project_desk=None, zone_desk=None):
    """The id of the desk for an enquiry; ``desks`` in their order, ``sectors`` ids, ``region`` an id,
    ``project_desk`` and ``zone_desk`` the desk ids of the project or zone it is about (or None).

    Raises ``LookupError`` when there is no desk at all.
    """
    if project_desk is not None:
        return project_desk
    if zone_desk is not None:
        return zone_desk
    if not desks:
        raise LookupError("No enquiry desk exists.")
    sectors = frozenset(sectors)
    by_sector = [d for d in desks if d.sectors & sectors]
    by_region = [d for d in desks if region is not None and region in d.regions]
    both = [d for d in by_sector if d in by_region]
    for candidates in (both, by_sector, by_region):
        if candidates:
            speaking = [d for d in candidates if language in d.languages]
            return _least_busy(speaking or candidates)
    default = next((d for d in desks if d.is_default), None)
    if default is not None and language in default.languages:
        return default.id
    speaking = [d for d in desks if language in d.languages]
    if speaking:
        return _least_busy(speaking)
    return default.id if default is not None else _least_busy(desks)


def desk_facts():
    """Every desk's facts from the database, in the desks' order (three queries)."""
    from django.db.models import Count, Q

    from .models import Enquiry, EnquiryDesk

    desks = EnquiryDesk.objects.annotate(
        open_count=Count("enquiries", filter=Q(enquiries__state__in=Enquiry.OPEN_STATES))
    )
    sectors, regions = {}, {}
    for desk_id, sector_id in EnquiryDesk.sectors.through.objects.values_list("enquirydesk_id", "sector_id"):
        sectors.setdefault(desk_id, set()).add(sector_id)
    for desk_id, region_id in EnquiryDesk.regions.through.objects.values_list("enquirydesk_id", "region_id"):
        regions.setdefault(desk_id, set()).add(region_id)
    return [
        DeskFacts(
            id=desk.pk,
            sectors=frozenset(sectors.get(desk.pk, ())),
            regions=frozenset(regions.get(desk.pk, ())),
            languages=frozenset(desk.languages),
            is_default=desk.is_default,
            open_count=desk.open_count,
        )
        for desk in desks
    ]
