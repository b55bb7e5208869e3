"""The reader's tests use the hardening tests' tiny projects."""

from tests.hardening.conftest import tiny  # noqa: F401 (a fixture)
