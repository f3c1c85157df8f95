"""The shipped default catalog holds the five seed documents exactly as they were given."""

from pathlib import Path

import pytest

from tests.conftest import REPO, SEED_FILES

SHARED_SEEDS = REPO.parent / "shared" / "seeds"


def test_five_seeds_ship_in_data():
    assert [p.name[:3] for p in SEED_FILES] == ["000", "001", "002", "003", "004"]


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="the shared seed folder is not beside this checkout")
def test_shipped_seeds_are_the_shared_seeds_unchanged():
    for shipped in SEED_FILES:
        assert shipped.read_bytes() == (SHARED_SEEDS / shipped.name).read_bytes(), shipped.name


def test_installed_package_finds_the_default_catalog():
    from importlib.resources import files

    data = Path(str(files("modelatlas.data")))
    assert (data / "catalog.yaml").is_file() and len(list((data / "seeds").glob("*.txt"))) == 5
