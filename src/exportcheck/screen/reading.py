"""The screener of a command that only reads (``check``, ``batch``, ``impact``, ``screen``,
``screen-batch``, on one machine or on Dask).

:func:`~exportcheck.screen.service.default_screener` opens the configured database, which
creates it (and its folder) when it is not there yet, and migrates it: a command that only
screened left an empty database behind. With no database there are no lists and no
dispositions to read, so the answer is the bundled samples, the very one an empty database
gives; :func:`samples_without_database` gives it without creating anything.
"""

from __future__ import annotations

from exportcheck.screen.service import SAMPLES_WARNING, Screener, default_screener, samples_log


def samples_without_database() -> Screener | None:
    """The bundled samples, announced as :func:`default_screener` announces them, when there is
    no database at the configured place (a SQLite file not there yet); None when there is one,
    or it is not a SQLite file: then its lists are read."""
    from exportcheck.db.engine import missing_configured_database

    if missing_configured_database() is None:
        return None
    samples = Screener.from_samples()
    samples_log.warning(SAMPLES_WARNING.format(version=samples.version))
    return samples


def reading_screener() -> Screener:
    """The database's active lists, else the bundled samples, without creating a database
    where there is none."""
    samples = samples_without_database()
    return samples if samples is not None else default_screener()
