import pytest

from archivist.core.errors import InvalidHierarchy, InvalidValue
from archivist.core.levels import can_contain, check_containment, check_level


@pytest.mark.parametrize("parent, child, ok", [
    ("fonds", "series", True), ("fonds", "item", True), ("series", "file", True),
    ("file", "item", True), ("file", "file", True), ("subfonds", "subfonds", True),
    ("item", "item", False), ("item", "fonds", False), ("series", "fonds", False),
    ("file", "series", False), ("fonds", "fonds", False),
])
def test_containment(parent, child, ok):
    assert can_contain(parent, child) is ok


def test_item_cannot_contain_fonds_message():
    with pytest.raises(InvalidHierarchy, match="an item cannot contain a fonds"):
        check_containment("item", "fonds")


def test_unknown_level():
    with pytest.raises(InvalidValue, match="unknown level"):
        check_level("box")
