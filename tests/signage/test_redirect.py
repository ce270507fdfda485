"""Property: the redirect keeps the form's own URL byte for byte and adds exactly one ``session_id``."""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, quote, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from clicktrail.signage.service import with_session_id

names = st.text(st.characters(codec="utf-8", exclude_characters="&=#"), min_size=1, max_size=8)
values = st.text(st.characters(codec="utf-8"), max_size=12)
params = st.lists(st.tuples(names, values), max_size=5)


@given(params=params, fragment=st.one_of(st.none(), st.text(max_size=8)), stale=st.booleans())
def test_form_query_is_kept_and_session_id_added(params, fragment, stale):
    query = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in params if k != "session_id")
    base = "https://brand.example/form" + (f"?{query}" if query else "")
    form_url = base + (("&" if query else "?") + "session_id=old" if stale else "")
    form_url += f"#{quote(fragment, safe='')}" if fragment is not None else ""
    session_id = str(uuid.uuid4())

    url = with_session_id(form_url, session_id)

    parts = urlsplit(url)
    assert parse_qs(parts.query)["session_id"] == [session_id]
    expected_query = "&".join(p for p in [query, f"session_id={session_id}"] if p)
    assert parts.query == expected_query
    assert url.startswith("https://brand.example/form?")
    assert parts.fragment == (quote(fragment, safe="") if fragment is not None else "")
