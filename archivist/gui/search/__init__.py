"""The search panel: search box, facets, timeline, results and saved searches.

Embed it with::

    from archivist.gui.search import SearchPanel
    panel = SearchPanel(cat, hub=hub, runner=runner)  # hub: CatalogueHub (optional, refreshes
                                                      # on changes); runner: TaskRunner (optional,
                                                      # searches then run off the GUI thread)
    panel.record_activated.connect(open_record)  # record id (int) on double-click / Enter
    dock.setWidget(panel)

The pieces are separate widgets for other layouts: :class:`SearchBox`, :class:`FacetPanel`,
:class:`TimelineWidget`, :class:`SavedSearchList`, :class:`SearchResultsModel`.
"""

from archivist.gui.search.facet_panel import FacetPanel
from archivist.gui.search.panel import SearchPanel
from archivist.gui.search.results import SearchResultsModel
from archivist.gui.search.saved_list import SavedSearchList
from archivist.gui.search.search_box import SearchBox
from archivist.gui.search.timeline import TimelineWidget

__all__ = ["SearchPanel", "SearchBox", "FacetPanel", "TimelineWidget", "SavedSearchList",
           "SearchResultsModel"]
