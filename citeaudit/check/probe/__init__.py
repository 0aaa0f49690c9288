"""Probe one URL and say, in words, what became of it.

The request plan (`plan`: HEAD or GET first, GET after a HEAD servers get wrong), one request
with its retries (`exchange`), redirects followed by hand (`redirects`), and the verdict an
answer earns (`classify`); `url.probe_url` ties them together. A GET reads at most `max_body`
bytes: enough for the title and the soft-404 test, never a whole video.
"""

from citeaudit.check.probe.context import ProbeContext
from citeaudit.check.probe.redirects import follow
from citeaudit.check.probe.url import probe_url, random_path_shape

__all__ = ["ProbeContext", "follow", "probe_url", "random_path_shape"]
