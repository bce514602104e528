import pytest

from archivist.store.catalogue import create_catalogue


@pytest.fixture
def cat(tmp_path):
    """A new, empty catalogue, closed after the test."""
    c = create_catalogue(tmp_path / "Test.archivist", user="tester")
    yield c
    c.close()
