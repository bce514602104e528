"""Exchange formats: writers that consume native record dicts, and readers that produce them.

Every writer has the shape ``write_<format>(records, authorities, out, *, options)``: ``records``
is an iterable of RECORD dicts (docs/native-format.md) in depth-first order (each parent before its
children, each subtree contiguous), ``authorities`` maps uuid → AUTHORITY dict, ``out`` is a binary
or text file object (or a folder for BagIt and IIIF), and ``options`` is an
:class:`~archivist.ops.exchange.common.ExportOptions`. Writers stream: they write as they read.

Every reader returns a :class:`~archivist.ops.exchange.common.ReadResult`: native dicts plus the
refusals (reason and line), for the native importer to apply all-or-nothing.
"""
