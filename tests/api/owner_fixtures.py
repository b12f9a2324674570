"""Fixtures for tests of a patient's own resources: the cast's owner and their headers.
Import them into a test module (``from tests.api.owner_fixtures import as_owner, owner``)."""
from __future__ import annotations

import pytest


@pytest.fixture
def owner(cast):
    """The cast's owner, as a user object."""
    return cast.owner.user


@pytest.fixture
def as_owner(cast):
    """The owner's ``Authorization`` headers."""
    return cast.owner.headers
