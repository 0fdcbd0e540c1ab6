"""Running the batch commands on a Dask cluster: ``screen-batch``, ``batch`` and ``impact``.

Why a separate package: the single-process paths stay the default and unchanged; this one only
splits the input into partitions (:mod:`.frames`), runs the same per-partition functions on the
workers with the lists and rule base loaded once per worker (:mod:`.workers`), and writes the
parts back in input order without holding them all in the client (:mod:`.output`).
"""

from exportcheck.scale.cluster import SchedulerUnavailable, connect

__all__ = ["SchedulerUnavailable", "connect"]
