"""Suggestions for schools near a region border, without and with the region preference.

Usage::

    python benchmarks/border_school.py            # the Groningen demo schools, top 5
    python benchmarks/border_school.py --top 8 --region twente

Seeds the demo regions into a throw-away SQLite database, then ranks each open request of
the chosen region's schools twice over the same live offers: once with the region
preference switched off (``region_mismatch_factor`` 1.0: every reachable offer counts as
local) and once as the platform ranks. Prints both lists with scores and Dutch reasons;
asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make the packages importable
    sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from matching import MatchIndex  # noqa: E402
from matching.weights import Weights  # noqa: E402
from onderwijsplatform import create_app  # noqa: E402
from onderwijsplatform.extensions import db  # noqa: E402
from onderwijsplatform.models import (  # noqa: E402
    Offer,
    Organisation,
    Region,
    RequestStatus,
    SchoolRequest,
)
from onderwijsplatform.services import demo, matching, pool  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default="groningen")
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "benchmark-only-secret-key-0123456789abcdef",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'demo.sqlite'}",
            }
        )
        with app.app_context():
            db.create_all()
            demo.seed()
            rows = db.session.scalars(sa.select(Offer).where(pool.live_anywhere())).all()
            offers = matching.offer_inputs(rows)
            names = pool.region_names()
            by_id = {row.exchange_id: row for row in rows}
            indexes = {
                "without region preference": MatchIndex(
                    offers, Weights(region_mismatch_factor=1.0), region_names=names
                ),
                "with region preference": MatchIndex(offers, region_names=names),
            }
            requests = db.session.scalars(
                sa.select(SchoolRequest)
                .join(Organisation, Organisation.id == SchoolRequest.school_id)
                .join(Region, Region.id == Organisation.region_id)
                .where(Region.code == args.region, SchoolRequest.status == RequestStatus.OPEN)
                .order_by(SchoolRequest.id)
            ).all()
            for request in requests:
                print(f"\n== {request.school.name} ({request.school.place}): {request.kinds}")
                for title, index in indexes.items():
                    print(f"-- {title}")
                    for rank, match in enumerate(
                        index.query(matching.request_input(request), top=args.top), start=1
                    ):
                        offer = by_id[match.offer_id]
                        print(
                            f"  {rank}. {match.score:.3f} {match.label:<9} "
                            f"{offer.organisation.name} ({offer.place}): "
                            + "; ".join(match.reasons)
                        )


if __name__ == "__main__":
    main()
