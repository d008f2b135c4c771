"""Sentence forms and line kinds of profile pages, one behaviour per test."""

from __future__ import annotations

from typing import Any

import pytest

from citykg.errors import InputError
from citykg.model.vocabulary import Scheme, load_vocabulary
from citykg.sources.text.extract import TextExtraction, extract_text, read_text_bytes

HEADER = "Finland\nJan Example\n100,000 (2019)\nAnna Officer\n"
NAMING = "Like 81% of cities surveyed, Oslo has dedicated funding to support innovation capacity."


LEGEND = [
    "Taking risks or testing new ideas",
    "Data-driven analytics/public data management",
    "Engaging residents in new ways",
    "Developing new solutions based on digital technologies",
    "Organizational change within the municipality",
    "Human-centered design",
    "Rethinking your city's approach to financing partnerships",
]


def page(*body: str, header: str = HEADER) -> TextExtraction:
    """A flat page: header, the body lines (from line 5), then a sentence naming the city."""
    lines = [*body, NAMING] if header == HEADER else list(body)
    return extract_text(header + "\n".join(lines) + "\n", source="page.txt")


def data(*body: str) -> dict[str, Any]:
    return page(*body).document.data


def test_negative_facts_are_recorded() -> None:
    got = data(
        "Along with 56% of cities surveyed, Oslo does not have an explicit innovation strategy.",
        "Oslo does not prioritise policy sectors for its innovation work.",
        "Oslo does not have a dedicated team for innovation.",
        "Oslo\u2019s innovation work is internal to the city administration.",
    )
    assert got["strategy"] == {"explicit": False, "prioritises_policy_areas": False}
    assert got["organisation"] == {"dedicated_team": False}
    assert got["partnerships"] == {"innovation_internal_only": True}


def test_sprinkled_work_is_distributed() -> None:
    got = data("Oslo's innovation work is sprinkled throughout the municipality.")
    assert got["organisation"] == {"distributed": True}


@pytest.mark.parametrize(
    ("sentence", "team"),
    [
        (
            "Situated within the Mayor's Office, Oslo's dedicated team for innovation consists of 4-6 staff.",
            {"location": "Mayor's Office", "staff_min": 4, "staff_max": 6},
        ),
        (
            "As an independent team, Oslo's dedicated innovation team consists of 12 staff,"
            " divided into 3 sub-teams.",
            {"staff": 12, "sub_teams": 3, "independent": True},
        ),
        (
            "Oslo\u2019s dedicated team for innovation \u2013 Lab O \u2013 is led by the City Manager.",
            {"name": "Lab O", "led_by": "City Manager"},
        ),
    ],
)
def test_team_sentences(sentence: str, team: dict[str, Any]) -> None:
    got = data(sentence)
    assert got["teams"] == [team]
    assert got["organisation"]["dedicated_team"] is True


def test_several_teams_in_one_sentence_share_their_location() -> None:
    got = data("Situated at the Mayor's Office, the Data team has 5 staff while the Design team has 3 staff.")
    assert got["teams"] == [
        {"name": "Data", "location": "Mayor's Office", "staff": 5},
        {"name": "Design", "location": "Mayor's Office", "staff": 3},
    ]


def test_parenthesis_lists_narrower_partner_kinds_and_named_examples() -> None:
    got = data(
        "To improve data use, the city has also developed data partnerships with regional"
        " institutions (e.g. hospitals, public transport agency), to collect and analyse data.",
        "Oslo has developed partnerships to promote innovation capacity with private firms and"
        " with other cities (e.g. Horizon2020, Eurocities).",
    )
    assert got["partnerships"]["data"] == [
        {"partner": "regional institutions", "includes": ["hospitals", "public transport agency"]}
    ]
    assert got["partnerships"]["data_purposes"] == ["collect data", "analyze data"]
    assert got["partnerships"]["innovation"][-1] == {
        "partner": "other cities",
        "examples": ["Horizon2020", "Eurocities"],
    }


@pytest.mark.parametrize(
    ("paragraph", "target"),
    [
        ("Climate: Oslo is striving to become carbon neutral by 2035.", ("carbon neutral", 2035)),
        ("Housing: Oslo plans to build 2,000 homes by 2030.", ("build 2,000 homes", 2030)),
    ],
)
def test_targets_in_policy_area_paragraphs(paragraph: str, target: tuple[str, int]) -> None:
    area = data(paragraph)["policy_areas"][0]
    assert area["targets"] == [{"description": target[0], "year": target[1]}]
    assert area["description"] == paragraph.split(": ", 1)[1]


def test_label_variants_match_one_concept_and_unknown_labels_are_kept_and_noted() -> None:
    extraction = page(
        "Its innovation activities also include taking risks and testing new ideas; and composting.",
        "Social welfare and social services: Oslo runs a benefits lab.",
    )
    got = extraction.document.data
    # the document keeps the page's words; the mapping finds the concept they name
    assert got["activities"] == ["taking risks and testing new ideas", "composting"]
    assert got["policy_areas"][0]["name"] == "Social welfare and social services"
    vocabulary = load_vocabulary()
    assert (
        vocabulary.match(Scheme.ACTIVITY, got["activities"][0]).concept
        == vocabulary.match(Scheme.ACTIVITY, "Taking risks or testing new ideas").concept
    )
    area = vocabulary.match(Scheme.POLICY_AREA, got["policy_areas"][0]["name"]).concept
    assert area is not None and area.label == "Social welfare/social services"
    assert any("'composting'" in note.message for note in extraction.document.notes)


def test_the_activities_legend_asserts_nothing() -> None:
    legend = LEGEND
    extraction = page("Oslo also invests in digital systems.", *legend)
    assert "activities" not in extraction.document.data
    assert [r.kind for r in extraction.lines[-8:-1]] == ["legend"] * 7


@pytest.mark.parametrize(
    ("line", "wave"),
    [
        ("Note: The City Innovation Snapshot (PDF version) was produced in 2019 and more.", 2018),
        ("Along with 44% of cities surveyed, Oslo has an explicit innovation strategy.", 2018),
        (
            "Oslo's funding for innovation capacity is generally used to invest in launching or"
            " sustaining a project.",
            2018,
        ),
        (
            "Similar to 61% of participating cities in the 2020 survey, Oslo's funding for"
            " innovation capacity is also directed towards training staff and building capacity*.",
            2020,
        ),
    ],
)
def test_wave_comes_from_the_line_that_tells(line: str, wave: int) -> None:
    extraction = page("Oslo also invests in digital systems.", line)
    assert extraction.document.data["survey"] == {"wave": wave}
    assert extraction.document.origins["survey.wave"].line == 6


def test_wave_defaults_to_2018_with_a_note_and_the_argument_overrides() -> None:
    extraction = page("Oslo also invests in digital systems.")
    assert extraction.document.data["survey"] == {"wave": 2018}
    assert any("assumed 2018" in n.message for n in extraction.document.notes)
    forced = extract_text(HEADER + "Oslo also invests in digital systems.\n", source="p", wave=2020)
    assert forced.document.data["survey"] == {"wave": 2020}


def test_flat_header_without_mayor_line_and_with_several_officers() -> None:
    text = "Improve service delivery\nDedicated funding\nNorway\n50,000 (2018)\nA Berg, O Lunde\n"
    text += "Improve service delivery\nDedicated funding\nOslo also invests in digital systems.\n"
    got = extract_text(text, source="p").document.data
    assert got["city"] == {
        "name": "Oslo",
        "country": "Norway",
        "population": {"value": 50000, "year": 2018},
        "innovation_officers": ["A Berg", "O Lunde"],
    }
    assert got["goals"] == ["Improve service delivery"]
    assert got["success_factors"] == ["Dedicated funding"]


def test_a_word_cut_at_the_end_never_becomes_a_fact_and_whole_items_stay() -> None:
    extraction = page(
        "Oslo has developed partnerships to promote its innovation capacity with private firms,"
        " other cities, not-for-pro",
        header=HEADER + NAMING + "\n",
    )
    got = extraction.document.data["partnerships"]["innovation"]
    assert got == [{"partner": "private firms"}, {"partner": "other cities"}]


def test_line_ends_bom_nbsp_and_apostrophes_do_not_change_the_document() -> None:
    plain = HEADER + "Oslo's innovation work is internal to the city administration.\n"
    fancy = "\ufeff" + plain.replace("\n", "\r\n").replace("Oslo's", "Oslo\u2019s").replace(
        "to the", "to\u00a0the"
    )
    a = extract_text(plain, source="p")
    b = read_text_bytes(fancy.encode("utf-8"), source="p")
    assert a.document.data == b.document.data
    origin = b.document.origins["partnerships.innovation_internal_only"]
    assert origin.line == 5 and origin.text is not None and "\u2019" in origin.text


def test_evidence_points_at_the_exact_text() -> None:
    extraction = page("Oslo also invests in digital systems and physical infrastructure.")
    origin = extraction.document.origins["funding.uses[1]"]
    line = extraction.lines[origin.line - 1].text if origin.line else ""
    assert origin.text == "physical infrastructure"
    assert line[origin.column - 1 :].startswith("physical infrastructure") if origin.column else False
    assert extraction.lines[4].fields == ["city.name", "funding.uses[0]", "funding.uses[1]"]


def test_unknown_lines_are_reported_not_dropped() -> None:
    extraction = page("Oslo also invests in digital systems.", "The weather was fine all week.")
    assert [r.number for r in extraction.unexplained] == [6]


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"Oslo\x00 has", "NUL byte at byte offset 4"),
        (b"Oslo \xe9t\xe9", "byte offset 5"),
    ],
)
def test_unreadable_bytes_are_refused_with_the_offset(raw: bytes, words: str) -> None:
    with pytest.raises(InputError) as caught:
        read_text_bytes(raw, source="bad.txt")
    assert words in str(caught.value) and "bad.txt" in str(caught.value)
    assert caught.value.hint and "UTF-8" in caught.value.hint


def test_text_that_is_not_a_profile_page_is_refused() -> None:
    with pytest.raises(InputError, match="does not look like a city profile page"):
        extract_text("Shopping list\n\nEggs, milk and bread.\n", source="list.txt")


def test_flat_page_starting_after_its_header_keeps_its_goal_and_factor_lines() -> None:
    text = "rove service delivery\nImprove resident outcomes\nDedicated funding\n"
    text += "Oslo also invests in digital systems.\n"
    extraction = extract_text(text, source="p")
    assert extraction.document.data["goals"] == ["Improve resident outcomes"]
    assert extraction.document.data["success_factors"] == ["Dedicated funding"]
    assert extraction.unexplained == []
    assert extraction.lines[0].kind == "truncated"


@pytest.mark.parametrize(
    ("sentences", "teams"),
    [
        (
            ["Situated within the Budget Office, Oslo's Performance and Delivery team consists of 7 staff."],
            [{"location": "Budget Office", "name": "Performance and Delivery team", "staff": 7}],
        ),
        (["Oslo's dedicated team for innovation has 4 staff."], [{"staff": 4}]),
        (
            ["Oslo's innovation work is sprinkled throughout the municipality and led by 11 staff."],
            [{"staff": 11}],
        ),
        (
            [
                "As an independent body, Oslo's dedicated team for innovation is led by the"
                " Chief Data Officer (CDO).",
                "The CDO manages a staff of 40.",
            ],
            [{"independent": True, "led_by": "Chief Data Officer (CDO)", "staff": 40}],
        ),
        (
            [
                "As independent teams, Oslo has one team of 3 staff led by the Chief Digital Officer and"
                " another team of 5 staff led by the City Architect."
            ],
            [
                {"independent": True, "staff": 3, "led_by": "Chief Digital Officer"},
                {"independent": True, "staff": 5, "led_by": "City Architect"},
            ],
        ),
        (
            [
                "Situated in the Finance Office, Oslo's Chief Technology Officer, leads Service Lab"
                " staff of 6"
                " and Digital Services staff of 120."
            ],
            [
                {
                    "location": "Finance Office",
                    "name": "Service Lab",
                    "staff": 6,
                    "led_by": "Chief Technology Officer",
                },
                {
                    "location": "Finance Office",
                    "name": "Digital Services",
                    "staff": 120,
                    "led_by": "Chief Technology Officer",
                },
            ],
        ),
    ],
)
def test_staff_counts_in_every_form_the_pages_use(sentences: list[str], teams: list[dict[str, Any]]) -> None:
    assert data(*sentences)["teams"] == teams


def test_a_staff_sentence_about_another_leader_changes_no_team() -> None:
    got = page(
        "Oslo's dedicated team for innovation is led by the Chief Data Officer.",
        "The Mayor manages a staff of 40.",
    ).document.data
    assert got["teams"] == [{"led_by": "Chief Data Officer"}]


HEADED = "Oslo\nNorway\nMayor\nJan Example\nPopulation\n100,000 (2019)\n" + NAMING + "\n"


def test_a_term_that_is_also_a_legend_label_is_the_citys_answer() -> None:
    text = HEADED + "Terms Oslo most associates with innovation\nData analytics\nHuman-centered design\n"
    text += "Oslo's most common innovation activities\nEngaging residents in new ways\ne.g. street labs\n"
    numbered = [f"{i}. {i}\n{label}" for i, label in enumerate(LEGEND, 1)]
    got = extract_text(text + "\n".join(numbered) + "\n", source="p.txt").document.data
    assert got["terms"] == ["Data analytics", "Human-centered design"]
    assert got["activities"] == ["Engaging residents in new ways"]


def test_the_legend_is_all_seven_labels_in_order_or_the_page_ends_inside_it() -> None:
    text = HEADED + "Terms Oslo most associates with innovation\n"
    whole = extract_text(text + "\n".join(LEGEND[:3]) + "\nBehavioral economics\n", source="p.txt")
    assert whole.document.data["terms"] == [*LEGEND[:3], "Behavioral economics"]  # not a legend: it goes on
    cut = extract_text(
        text + "Human-centered design\n" + "\n".join(LEGEND[:2]) + "\nEngaging resi", source="p.txt"
    )
    assert cut.document.data["terms"] == ["Human-centered design"]
    assert [r.kind for r in cut.lines[-3:]] == ["legend", "legend", "legend"]
