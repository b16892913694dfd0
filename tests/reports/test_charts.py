"""Charts are well-formed, self-describing SVG that fpdf2 can draw."""

import io
import xml.etree.ElementTree as ET

from django.utils import translation
from fpdf import FPDF

from birlik.reports import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own markup


def test_bar_chart_is_an_accessible_image_with_its_values_written():
    with translation.override("en"):
        svg = charts.bar_chart([("Pavlodar <Region>", 1234), ("Almaty", 5)], title="Events")
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Events"
    assert "Highest: Pavlodar <Region>, 1,234" in root.find(f"{SVG}desc").text
    texts = [node.text for node in root.iter(f"{SVG}text")]
    assert "Pavlodar <Region>" in texts
    assert "1,234" in texts
    assert root.get("width") and root.get("height") and root.get("viewBox")


def test_numbers_are_written_the_way_the_language_writes_them():
    with translation.override("kk"):
        svg = charts.column_chart([("Қаң", 12345)], title="Айлар")
    assert "12\u00a0345" in svg


def test_an_empty_chart_says_there_is_no_data():
    with translation.override("en"):
        root = parse(charts.bar_chart([], title="Nothing"))
    assert root.find(f"{SVG}desc").text == "No data for this selection."


def test_region_map_shades_every_region_and_names_it():
    with translation.override("en"):
        svg = charts.region_map(
            {"KZ-55": 10, "KZ-75": 300}, title="Map", labels={"KZ-55": "Pavlodar Region"}
        )
    root = parse(svg)
    paths = list(root.iter(f"{SVG}path"))
    assert len(paths) == 20
    assert any(p.find(f"{SVG}title").text == "Pavlodar Region: 10" for p in paths)
    assert "300" in [node.text for node in root.iter(f"{SVG}text")]


def test_progress_bar_gives_the_share_of_the_target():
    with translation.override("en"):
        root = parse(charts.progress_bar(80, 100, title="Events"))
    assert root.find(f"{SVG}desc").text == "80 of 100 (80\u00a0%)"


def test_fpdf2_draws_every_chart_with_a_unicode_font(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font(charts.FONT_FAMILY, fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    with translation.override("kk"):
        for svg in (
            charts.bar_chart([("Абай облысы", 3)], title="Іс-шаралар"),
            charts.column_chart([("Қаң", 1), ("Ақп", 2)], title="Айлар"),
            charts.region_map({"KZ-55": 1}, title="Карта", labels={}),
            charts.progress_bar(1, 2, title="Жоспар"),
        ):
            pdf.image(io.BytesIO(svg.encode()), w=150)
    assert pdf.output()[:4] == b"%PDF"


def test_month_labels_wider_than_their_column_go_on_two_lines():
    months = [(f"қаң. {2025}", 10.0)] * 12
    svg = charts.column_chart(months, title="Айлар")
    assert svg.count(">қаң.</text>") == 12
    assert svg.count(">2025</text>") == 12
    short = charts.column_chart([("Қаң", 1), ("Ақп", 2)], title="Айлар")
    assert ">Қаң</text>" in short
