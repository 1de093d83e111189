"""What an EPUB says of itself: Dublin Core metadata, series and the cover image.

``book`` is ebooklib's reading of the package; ``opf`` the package document parsed by
lxml (or None when it does not parse), needed for what ebooklib does not expose: EPUB 3
``belongs-to-collection`` refinements, Calibre's ``calibre:series`` and the cover's
manifest properties.
"""

from __future__ import annotations

from audiobook.model import BookInfo, image_kind

_OPF = "http://www.idpf.org/2007/opf"


def book_info(book, opf) -> BookInfo:
    """Title, authors, narrator, language, series, cover... from the package document."""

    def dc(name: str) -> list[str]:
        return [
            " ".join(str(v).split())
            for v, _ in book.get_metadata("DC", name)
            if v and str(v).strip()
        ]

    info = BookInfo()
    titles = dc("title")
    info.title = titles[0] if titles else None
    info.authors = [a for a, attrs in _creators(book) if attrs in (None, "aut")]
    info.narrator = next((a for a, role in _creators(book) if role == "nrt"), None)
    languages = dc("language")
    info.language = languages[0].lower().split("-")[0] if languages else None
    info.description = next(iter(dc("description")), None)
    info.publisher = next(iter(dc("publisher")), None)
    dates = dc("date")
    info.date = dates[0] if dates else None
    if opf is not None:
        _series(opf, info)
        info.cover = _cover(book, opf)
    return info


def _creators(book):
    for value, attrs in book.get_metadata("DC", "creator"):
        role = None
        for key, val in (attrs or {}).items():
            if key.endswith("role"):
                role = val
        yield " ".join(str(value).split()), role


def _series(opf, info: BookInfo) -> None:
    metas = list(opf.iter(f"{{{_OPF}}}meta"))
    for meta in metas:
        if meta.get("name") == "calibre:series" and meta.get("content"):
            info.series = meta.get("content").strip()
        if meta.get("name") == "calibre:series_index" and meta.get("content"):
            info.series_index = _index(meta.get("content"))
    for meta in metas:
        if meta.get("property") == "belongs-to-collection" and (meta.text or "").strip():
            ident = meta.get("id")
            kinds = {
                m.get("property"): (m.text or "").strip()
                for m in metas
                if ident and m.get("refines") == f"#{ident}"
            }
            if kinds.get("collection-type", "series") != "series":
                continue
            info.series = " ".join(meta.text.split())
            if kinds.get("group-position"):
                info.series_index = _index(kinds["group-position"])
            break


def _index(value: str) -> str:
    value = value.strip()
    return value[:-2] if value.endswith(".0") else value


def _cover(book, opf) -> bytes | None:
    """The cover image: JPEG, PNG or SVG (publish/cover.py draws an SVG as a JPEG)."""
    import ebooklib

    candidates = []
    manifest = {el.get("id"): el for el in opf.iter(f"{{{_OPF}}}item")}
    for el in manifest.values():
        if "cover-image" in (el.get("properties") or "").split():
            candidates.append(el.get("id"))
    for meta in opf.iter(f"{{{_OPF}}}meta"):
        if meta.get("name") == "cover" and meta.get("content"):
            candidates.append(meta.get("content"))
    images = list(book.get_items_of_type(ebooklib.ITEM_IMAGE)) + list(
        book.get_items_of_type(ebooklib.ITEM_COVER)
    )
    candidates += [i.get_id() for i in images if "cover" in (i.get_name() or "").lower()]
    for ident in candidates:
        item = book.get_item_with_id(ident)
        data = item.get_content() if item is not None else b""
        if image_kind(data):
            return data
    return None
