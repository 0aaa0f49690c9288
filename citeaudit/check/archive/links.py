"""RFC 8288 `Link` headers, as Memento TimeGates send them."""

from __future__ import annotations


def parse_link_header(value: str) -> list[tuple[str, dict[str, str]]]:
    """Split an RFC 8288 `Link` header into (target, params); linear, quote-aware.

    >>> parse_link_header('<http://a/1>; rel="memento"; datetime="Tue, 01 Aug 2023 00:00:00 GMT"')
    [('http://a/1', {'rel': 'memento', 'datetime': 'Tue, 01 Aug 2023 00:00:00 GMT'})]
    """
    links: list[tuple[str, dict[str, str]]] = []
    i, n = 0, len(value)
    while i < n:
        start = value.find("<", i)
        if start < 0:
            break
        end = value.find(">", start)
        if end < 0:
            break
        target = value[start + 1 : end].strip()
        # params run to the next comma that is outside quotes
        j = end + 1
        in_quotes = False
        while j < n:
            ch = value[j]
            if ch == '"':
                in_quotes = not in_quotes
            elif ch == "," and not in_quotes:
                break
            j += 1
        params: dict[str, str] = {}
        for piece in _split_params(value[end + 1 : j]):
            name, eq, raw = piece.partition("=")
            name = name.strip().lower()
            if name:
                params[name] = raw.strip().strip('"') if eq else ""
        links.append((target, params))
        i = j + 1
    return links


def _split_params(text: str) -> list[str]:
    pieces: list[str] = []
    current: list[str] = []
    in_quotes = False
    for ch in text:
        if ch == '"':
            in_quotes = not in_quotes
        if ch == ";" and not in_quotes:
            pieces.append("".join(current))
            current = []
        else:
            current.append(ch)
    pieces.append("".join(current))
    return [p for p in pieces if p.strip()]
