"""Demo early warning: the generated corpus (deterministic, in the expected proportions, with
its tension episodes) and the seed that adds it once, then the pipeline raising alerts."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from birlik.demo import monitoring as demo_monitoring
from birlik.demo.monitoring_corpus import ARTICLES, POSTS, generate
from birlik.geo.models import District, Region
from birlik.monitoring import processing
from birlik.monitoring.models import Alert, ClubPublication, Item, Label, Source

START = datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC)


@pytest.fixture
def refs(db):
    return demo_monitoring.corpus_refs()


def _corpus(refs, *, n_items: int = 1500, seed: int = 11):
    regions, districts, groups = refs
    return generate(
        n_items=n_items, start=START, days=365, seed=seed, regions=regions,
        districts=districts, groups=groups,
    )  # fmt: skip


def test_the_same_seed_gives_the_same_items_and_truth(refs):
    first, again, other = _corpus(refs), _corpus(refs), _corpus(refs, seed=12)
    assert first.items == again.items
    assert first.truth == again.truth
    assert [s.key for s in first.sources] == [s.key for s in again.sources]
    assert first.items != other.items


def test_every_language_has_at_least_25_templates():
    for language in ("kk", "ru", "en"):
        frames = sum(len(texts[language].frames) for texts in ARTICLES.values())
        assert frames >= 25, language
    for language in ("kk", "ru"):
        assert all(language in by_language for by_language in POSTS.values())


def test_about_sixty_invented_outlets_of_every_kind_some_in_the_club(refs):
    corpus = _corpus(refs, n_items=300)
    assert 55 <= len(corpus.sources) <= 70
    assert {s.kind for s in corpus.sources} == {"rss", "sitemap", "telegram", "vendor"}
    assert {s.language for s in corpus.sources} == {"kk", "ru", "en", ""}
    assert 5 <= sum(bool(s.club_kind) for s in corpus.sources) <= 15
    assert {s.club_kind for s in corpus.sources} >= {"publication", "tv", "social"}
    assert all(s.name.endswith("(демо)") and ".example/" in s.url for s in corpus.sources)
    national = [s for s in corpus.sources if s.home_region_id is None]
    assert 10 <= len(national) < len(corpus.sources) - 20


def test_languages_copies_and_risk_come_in_the_expected_proportions(refs):
    corpus = _corpus(refs, n_items=6000)
    items = len(corpus.items)
    assert 5900 <= items <= 6100
    truth = list(corpus.truth.values())
    languages = Counter(t.language for t in truth)
    assert 0.35 <= languages["kk"] / items <= 0.5
    assert 0.38 <= languages["ru"] / items <= 0.55
    assert 0.05 <= languages["en"] / items <= 0.13
    assert 0.015 <= languages["other"] / items <= 0.03
    russian_letters = sum(t.russian_letters for t in truth) / items
    assert 0.06 <= russian_letters <= 0.11
    assert all(t.language == "kk" for t in truth if t.russian_letters)
    copies = [t for t in truth if t.duplicate_of is not None]
    assert 0.1 <= len(copies) / items <= 0.22
    assert all(t.duplicate_of in corpus.truth for t in copies)
    ordinary_risk = [t for t in truth if t.episode is None and t.topics - {"unity"}]
    assert 0.01 <= len(ordinary_risk) / items <= 0.05
    assert sum("unity" in t.topics for t in truth) / items >= 0.1
    # the same event written in several languages
    story_languages: dict[str, set[str]] = {}
    for t in truth:
        story_languages.setdefault(t.story, set()).add(t.language)
    assert sum(len(langs) >= 2 for langs in story_languages.values()) >= 200


def test_a_copy_keeps_its_originals_story_places_and_topics(refs):
    corpus = _corpus(refs, n_items=2000)
    copies = [(g, t) for g, t in corpus.truth.items() if t.duplicate_of]
    assert copies
    for _guid, fact in copies:
        original = corpus.truth[fact.duplicate_of]
        assert original.duplicate_of is None
        assert (fact.story, fact.regions, fact.topics, fact.language) == (
            original.story, original.regions, original.topics, original.language,
        )  # fmt: skip
    published = {i["guid"]: i["published_at"] for i in corpus.items}
    assert all(published[t.duplicate_of] <= published[g] for g, t in copies)


def test_items_name_real_places_inflected_and_the_truth_lists_them(refs):
    corpus = _corpus(refs, n_items=2000)
    sairam = District.objects.get(kato="615200000")
    named = [i for i in corpus.items if sairam.pk in corpus.truth[i["guid"]].districts]
    assert named
    texts = " ".join(f"{i['title']} {i['text']}" for i in named)
    assert "Сайрам ауданында" in texts or "Сайрамском районе" in texts
    pavlodar = Region.objects.get(iso="KZ-55")
    assert any(pavlodar.pk in t.regions for t in corpus.truth.values())
    unnamed = [i for i in corpus.items if corpus.truth[i["guid"]].language == "other"]
    assert unnamed and all(not corpus.truth[i["guid"]].regions for i in unnamed)


def test_tension_episodes_burst_in_their_districts_one_in_the_last_two_days(refs):
    corpus = _corpus(refs, n_items=8000)
    end = START + datetime.timedelta(days=365)
    assert len(corpus.episodes) == 4
    assert {Region.objects.get(pk=e.region_id).iso for e in corpus.episodes} == {
        "KZ-61", "KZ-31", "KZ-19", "KZ-55",
    }  # fmt: skip
    live = corpus.episodes[-1]
    assert end - datetime.timedelta(days=2) <= live.start < live.end <= end
    seen: set[str] = set()
    for episode in corpus.episodes:
        items = [i for i in corpus.items if corpus.truth[i["guid"]].episode == episode.key]
        assert len(items) >= 50
        assert all(episode.start <= i["published_at"] < episode.end for i in items)
        per_hour = Counter(i["published_at"].replace(minute=0, second=0) for i in items)
        hours = (episode.end - episode.start).total_seconds() / 3600
        assert max(per_hour.values()) >= 3 * len(items) / hours  # a burst, not a flat line
        topics = Counter(t for i in items for t in corpus.truth[i["guid"]].topics)
        assert {"conflict", "hate", "disinformation"} <= set(topics)
        seen |= set(topics)
        if episode is live:
            assert topics["language"] >= 0.15 * len(items)
        districts = Counter(d for i in items for d in corpus.truth[i["guid"]].districts)
        assert districts.most_common(1)[0][0] == episode.district_id
    assert {"violence", "language", "unity"} <= seen  # calls to gather; calming statements


@pytest.fixture
def seeded(network):
    added = demo_monitoring.demo_monitoring_seed(scale=0.02, seed=7)
    return network, added


def test_the_seed_adds_sources_items_labels_and_club_figures_once(seeded):
    _network, added = seeded
    now = timezone.now()
    assert added["monitoring_sources"] == Source.objects.count() >= 55
    assert added["monitoring_items"] == Item.objects.count() >= 790
    assert not Item.objects.exclude(state=Item.State.NEW).exists()
    assert not Item.objects.filter(published_at__gt=now).exists()
    fetched = Source.objects.filter(kind__in=Source.FETCHED)
    assert fetched.exists()
    assert not fetched.filter(enabled=True).exists()
    assert not Source.objects.filter(next_fetch_at__lt=now + datetime.timedelta(days=3650)).exists()
    labels = Label.objects.all()
    assert added["monitoring_labels"] == labels.count() == 60 * 6
    assert set(labels.values_list("analyst__username", flat=True)) == {"analyst"}
    held_out = labels.filter(held_out=True).values("item").distinct().count()
    assert 0 < held_out < 20  # one item in ten, by the label service
    assert labels.filter(value="yes").exclude(topic="unity").exists()
    year = timezone.localdate().year
    last_year = ClubPublication.objects.filter(published_on__year=year - 1)
    assert last_year.filter(kind="publication").count() == round(63_000 * 0.02)
    assert last_year.filter(kind="tv").count() == round(7_700 * 0.02)
    assert last_year.filter(kind="social").count() == round(44_000 * 0.02)
    assert added["club_publications"] == ClubPublication.objects.count()

    counts = (Source.objects.count(), Item.objects.count(), Label.objects.count())
    assert demo_monitoring.demo_monitoring_seed(scale=0.02, seed=7) == {}
    assert counts == (Source.objects.count(), Item.objects.count(), Label.objects.count())


def test_the_pipeline_raises_alerts_in_the_live_episodes_region(seeded, settings):
    processing.reset()
    while processing.items_process(limit=500).processed:
        pass
    assert not Item.objects.filter(state=Item.State.NEW).exists()
    assert Item.objects.exclude(duplicate_of=None).exists()
    assert Item.objects.filter(places__region__iso="KZ-55").exists()
    alerts = Alert.objects.filter(region__iso="KZ-55")
    assert alerts.exists()
    network, _added = seeded
    routed = set(alerts.values_list("routed_to", flat=True))
    assert network.pavlodar.pk in routed
    assert network.almaty.pk not in routed
