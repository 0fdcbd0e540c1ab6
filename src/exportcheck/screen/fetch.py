"""Download the official list files (when a network is available) into the data directory,
then load them like any other file: the format is still detected from the content."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

from exportcheck.errors import ListDataError
from exportcheck.settings import get_settings

#: source -> official download URLs (file names matter: they select the parser)
OFFICIAL_URLS: dict[str, list[str]] = {
    "ofac-sdn": [
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.CSV",
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ALT.CSV",
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADD.CSV",
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN_COMMENTS.CSV",
    ],
    "ofac-cons": [
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_PRIM.CSV",
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ALT.CSV",
        "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/CONS_ADD.CSV",
    ],
    "csl": ["https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"],
    "un": ["https://scsanctions.un.org/resources/xml/en/consolidated.xml"],
}
_LOCAL_NAMES = {"consolidated.xml": "UN_consolidated.xml"}


def fetch_official(sources: list[str] | None = None, *, timeout: float = 60.0) -> list[Path]:
    """Download the chosen sources (all by default); returns the local paths to load."""
    wanted = sources or list(OFFICIAL_URLS)
    unknown = set(wanted) - set(OFFICIAL_URLS)
    if unknown:
        raise ListDataError(f"no official URL known for {sorted(unknown)}; "
                            f"choose from {', '.join(OFFICIAL_URLS)}")
    target = get_settings().data_dir / "lists" / date.today().isoformat()
    target.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for source in wanted:
        for url in OFFICIAL_URLS[source]:
            name = url.rsplit("/", 1)[-1].lower()
            dest = target / _LOCAL_NAMES.get(name, name)
            try:
                with urllib.request.urlopen(url, timeout=timeout) as resp:
                    data = resp.read()
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                raise ListDataError(f"cannot download {source} from {url}: {exc}; load the "
                                    "files from disk with `exportcheck lists load PATH`") from exc
            if not data:
                raise ListDataError(f"{url} returned an empty file")
            dest.write_bytes(data)
            paths.append(dest)
    return paths
