"""What a phone downloads on a first visit (issue 13: at most 60 KB per page type): every response
through nginx until the network is idle, compressed bodies plus headers, as Chromium counts
them. A size, not a time, so it is asserted here; `pufa bench --first-view` prints the table."""

from __future__ import annotations

import pytest
from pufa.site.bench import FIRST_VIEW_PAGES

BUDGET = 60 * 1024


@pytest.mark.parametrize("path", FIRST_VIEW_PAGES)  # the page types the bench reports
def test_first_view_fits_the_budget(phone, base_url, path) -> None:
    done = []
    phone.on("requestfinished", lambda request: done.append(request))
    phone.goto(base_url + path, wait_until="networkidle")
    sizes = {r.url: r.sizes() for r in done}
    total = sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes.values())
    assert total <= BUDGET, {u: s["responseBodySize"] for u, s in sizes.items()}
    # Nothing of search or of the theme's script bundle on a first view.
    assert not any("/search/" in u or "search.js" in u or "bundle." in u for u in sizes), sizes
