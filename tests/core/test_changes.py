from archivist.core.changes import Changes


def test_merge_unions_and_keeps_visibility_only_when_all_are():
    total = Changes()
    total.merge(Changes(records={1}, structure=True, visibility_only=True))
    assert total.visibility_only and total.records == {1} and total.structure
    total.merge(Changes(records={2}, structure=True, visibility_only=True))
    assert total.visibility_only and total.records == {1, 2}
    total.merge(Changes(records={3}))
    assert not total.visibility_only and total.records == {1, 2, 3}


def test_empty_changes_are_false_and_do_not_disturb_a_merge():
    assert not Changes()
    c = Changes(records={1}, visibility_only=True).merge(Changes())
    assert c.visibility_only
