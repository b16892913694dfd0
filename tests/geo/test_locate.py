"""The region a point is in, from the shipped boundaries, in memory."""

from __future__ import annotations

import pytest
import shapely
from shapely.geometry import Point

from birlik.geo import locate
from birlik.geo.locate import iso_at, region_at


@pytest.mark.parametrize(
    ("latitude", "longitude", "iso"),
    [
        (43.238, 76.889, "KZ-75"),  # Almaty, inside the Almaty Region around it
        (52.287, 76.967, "KZ-55"),  # Pavlodar
        (51.169, 71.449, "KZ-71"),  # Astana, inside the Akmola Region around it
        (42.317, 69.590, "KZ-79"),  # Shymkent, inside the Turkistan Region around it
        (43.297, 68.252, "KZ-61"),  # Turkistan
        (43.870, 77.070, "KZ-19"),  # Konaev
        (50.411, 80.227, "KZ-10"),  # Semey
        (47.783, 67.714, "KZ-62"),  # Zhezkazgan
        (43.650, 51.170, "KZ-47"),  # Aktau, on the Caspian shore
    ],
)
def test_a_point_in_kazakhstan_is_in_its_region(latitude, longitude, iso):
    assert iso_at(latitude, longitude) == iso


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [
        (42.874, 74.590),  # Bishkek
        (41.311, 69.279),  # Tashkent
        (55.756, 37.617),  # Moscow
        (55.030, 82.920),  # Novosibirsk, north of the border
        (0.0, 0.0),
        (-90.0, 180.0),
    ],
)
def test_a_point_outside_kazakhstan_is_in_no_region(latitude, longitude):
    assert iso_at(latitude, longitude) is None


def test_a_point_on_a_border_between_regions_is_in_one_of_them():
    regions = dict(locate._regions())
    shared = regions["KZ-55"].boundary.intersection(regions["KZ-10"].boundary)
    assert not shared.is_empty
    corner = shapely.get_coordinates(shared)[0]
    longitude, latitude = float(corner[0]), float(corner[1])
    assert regions["KZ-55"].intersects(Point(longitude, latitude))

    assert iso_at(latitude, longitude) in {"KZ-55", "KZ-10"}


def test_a_point_on_the_outer_border_is_in_its_region():
    pavlodar = dict(locate._regions())["KZ-55"]
    longitude, latitude = pavlodar.exterior.coords[0]

    assert iso_at(latitude, longitude) is not None


def test_the_boundaries_are_read_once():
    locate._regions.cache_clear()
    iso_at(52.287, 76.967)
    first = locate._regions()

    iso_at(43.238, 76.889)

    assert locate._regions() is first
    assert locate._regions.cache_info().misses == 1


@pytest.mark.django_db
def test_region_at_gives_the_region_and_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        found = region_at(52.287, 76.967)
    assert found is not None
    assert found.iso == "KZ-55"
    assert found.name_en == "Pavlodar Region"


@pytest.mark.django_db
def test_region_at_outside_kazakhstan_is_none_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert region_at(41.311, 69.279) is None
