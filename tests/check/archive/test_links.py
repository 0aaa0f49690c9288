"""Link headers (RFC 8288) as Memento servers write them."""

from __future__ import annotations

from citeaudit.check.archive import (
    parse_link_header,
)


def test_link_header_parsing_handles_commas_in_dates() -> None:
    header = (
        '<http://a.example/>; rel="original", '
        '<http://arch.example/1>; rel="first memento"; datetime="Mon, 01 Jan 2018 00:00:00 GMT", '
        '<http://arch.example/2>; rel="memento"; datetime="Tue, 01 Aug 2023 00:00:00 GMT"'
    )
    links = parse_link_header(header)
    assert [t for t, _ in links] == [
        "http://a.example/",
        "http://arch.example/1",
        "http://arch.example/2",
    ]
    assert links[1][1] == {"rel": "first memento", "datetime": "Mon, 01 Jan 2018 00:00:00 GMT"}
