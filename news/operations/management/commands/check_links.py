import ipaddress
import json

from django.core.management.base import BaseCommand, CommandError

from news.operations import links


def _network(value):
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError as error:
        raise CommandError(f"--allow-network: {error}") from None


class Command(BaseCommand):
    help = (
        "Fetch every external link in published articles (bodies in every language, source addresses) "
        "and static pages, and report the broken ones per article. "
        "Exits with status 1 when a link is broken, 2 when the deadline left links unchecked."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for one answer (10)")
        parser.add_argument("--workers", type=int, default=8, help="requests at a time (8)")
        parser.add_argument("--deadline", type=float, default=600.0, help="seconds for the whole check (600)")
        parser.add_argument(
            "--allow-network",
            action="append",
            default=[],
            metavar="CIDR",
            help="also follow links to this non-public network (for an intranet mirror); never needed on the web",
        )

    def handle(self, **options):
        if options["timeout"] <= 0 or options["deadline"] <= 0 or options["workers"] < 1:
            raise CommandError("--timeout and --deadline must be positive and --workers at least 1.")
        networks = [_network(value) for value in options["allow_network"]]
        items = links.collect()
        external = [link.url for item in items for link in item.links if link.external]
        results = links.check(
            external,
            timeout=options["timeout"],
            workers=options["workers"],
            deadline=options["deadline"],
            allowed_networks=networks,
        )
        rows = links.report(items, results)
        broken = sorted({url for url, result in results.items() if not result.ok and not result.not_checked})
        unchecked = sorted(url for url, result in results.items() if result.not_checked)
        if options["json"]:
            summary = {"checked": len(results) - len(unchecked), "broken": len(broken), "not_checked": len(unchecked)}
            self.stdout.write(json.dumps({**summary, "items": rows}, ensure_ascii=False, indent=1))
        else:
            for row in rows:
                self.stdout.write(f"{row['kind']} {row['id']} “{row['title']}” {row['address']}")
                for problem in row["links"]:
                    led = (
                        f" (led to {problem['final_url']})" if problem["final_url"] not in {"", problem["url"]} else ""
                    )
                    self.stdout.write(f"  {problem['where']}: {problem['url']}: {problem['detail']}{led}")
            self.stdout.write(
                f"{len(results)} external links in {len(items)} articles and pages: {len(broken)} broken"
                + (f", {len(unchecked)} not checked before the deadline." if unchecked else ".")
            )
        if broken:
            raise CommandError(f"{len(broken)} broken links.", returncode=1)
        if unchecked:
            raise CommandError(f"{len(unchecked)} links not checked before the deadline.", returncode=2)
