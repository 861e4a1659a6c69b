"""`kanava plan new`: the questionnaire and the starter plan it writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kanava.cli.main import app
from kanava.plans import wizard
from kanava.plans.loader import dump_text, load_plan, load_text
from kanava.plans.rules import check
from kanava.plans.schema import SCHEMA_FILE, json_schema
from kanava.plans.wizard import (
    MAX_TRIES,
    Answers,
    AudienceAnswer,
    ChannelAnswer,
    GoalAnswer,
    WizardError,
    ask,
    make_id,
    starter_plan,
    unique_ids,
)

runner = CliRunner()

FULL_ANSWERS: dict[str, Any] = {
    "title": "Somesuunnitelma 2026",
    "language": "fi",
    "organization": "Järvelän kaupunki",
    "organization_kind": "municipality",
    "who": "Asukkaat: nuoret, työikäiset ja seniorit",
    "what": "Enemmän vuoropuhelua",
    "how": "Vastaamme arkipäivän kuluessa",
    "tools": "Facebook, Instagram ja intra",
    "openness_external": "Avoin",
    "skills_level": "basic",
    "internal_needs": ["Tieto kulkee, myös esihenkilöille"],
    "owner_name": "Åsa Øberg-Virtanen",
    "owner_role": "Viestintäpäällikkö",
    "audiences": [{"name": "Asukkaat", "kind": "residents", "needs": ["Palvelutieto"],
                   "online": ["facebook", "instagram"]},
                  {"name": "Henkilöstö", "kind": "employees", "scope": "internal"}],
    "goal": {"title": "Asukkaat löytävät palvelut", "objective": "support", "horizon": "short"},
    "channels": [{"name": "Facebook-sivu", "network": "facebook", "purpose": "Palvelutieto",
                  "posts_per_week": 3, "audiences": ["Asukkaat"]}],
}


def errors(text: str) -> list[str]:
    return [f.rule for f in check(load_text(text)) if f.severity == "error"]


def write_answers(tmp_path: Path, data: dict[str, Any], name: str = "answers.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# --- the starter plan ---------------------------------------------------------------

def test_the_starter_plan_loads_and_has_no_errors() -> None:
    text = starter_plan(Answers.model_validate(FULL_ANSWERS))
    plan = load_text(text).plan
    assert plan.organization.name == "Järvelän kaupunki"
    assert plan.people[0].id == "asa-oberg-virtanen"
    assert plan.channels[0].owner == plan.goals[0].owner == "asa-oberg-virtanen"
    assert plan.channels[0].goals == ["asukkaat-loytavat-palvelut"]
    assert plan.channels[0].audiences == ["asukkaat"]
    assert plan.channels[0].cadence is not None
    assert plan.channels[0].cadence.posts == 3
    assert errors(text) == []


def test_the_starter_plan_round_trips_byte_for_byte() -> None:
    text = starter_plan(Answers.model_validate(FULL_ANSWERS))
    assert dump_text(load_text(text)) == text


def test_the_smallest_answers_make_a_valid_plan() -> None:
    text = starter_plan(Answers(title="Plan", organization="Org", owner_name="Anna"))
    assert load_text(text).plan.title == "Plan"
    assert dump_text(load_text(text)) == text
    assert errors(text) == []


def test_the_schema_line_comes_first_and_every_section_is_explained() -> None:
    text = starter_plan(Answers(title="Plan", organization="Org", owner_name="Anna"))
    assert text.splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_FILE}"
    assert "kanava plan check" in text
    for key in ("organization", "questions", "starting_point", "audiences", "goals",
                "channels", "responsibilities", "guidelines", "monitoring", "review"):
        before = text.split(f"\n{key}:")[0]
        assert before.rstrip().splitlines()[-1].startswith("# "), f"no comment before {key}"
    assert "# People: who are our customers?" in text
    assert "# Allowed values: company, municipality" in text


def test_comments_are_translated_into_the_plan_language(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str | None] = []

    def fake_gettext(message: str, lang: str | None = None, **params: Any) -> str:
        seen.append(lang)
        return f"[{lang}] " + (message.format(**params) if params else message)

    monkeypatch.setattr(wizard, "gettext", fake_gettext)
    text = starter_plan(Answers(title="Plan", language="nb", organization="Org",
                                owner_name="Kari Nordmann"))
    assert "# [nb] Who the plan belongs to." in text
    assert set(seen) == {"nb"}
    assert load_text(text).plan.language == "nb"


@pytest.mark.parametrize("language", ["en", "fi", "nb", "nn", "sv"])
def test_every_plan_language_makes_a_valid_plan(language: str) -> None:
    answers = Answers.model_validate({**FULL_ANSWERS, "language": language})
    text = starter_plan(answers)
    assert load_text(text).plan.language == language
    assert dump_text(load_text(text)) == text


TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=120)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, who=TEXT, need=TEXT, name=TEXT)
def test_any_text_answer_round_trips(title: str, who: str, need: str, name: str) -> None:
    """GIVEN any printable answers WHEN the starter is written THEN it saves back unchanged."""
    answers = Answers(title=title.strip() or "t", who=who, organization="Org",
                      internal_needs=[need] if need.strip() else [],
                      owner_name=name.strip() or "n")
    text = starter_plan(answers)
    assert dump_text(load_text(text)) == text


# --- ids ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Åsa Øberg-Virtanen", "asa-oberg-virtanen"),
    ("Ærlig Æsop", "aerlig-aesop"),
    ("  !!  ", "person"),
    ("Hämeen ammattikorkeakoulun viestintä ja markkinointi",
     "hameen-ammattikorkeakoulun-viestinta-ja"),
])
def test_ids_are_made_from_names(text: str, expected: str) -> None:
    assert make_id(text, "person") == expected


def test_two_names_with_the_same_id_get_distinct_ids() -> None:
    assert unique_ids(["Asukkaat", "asukkaat", "ASUKKAAT"], "audience") == [
        "asukkaat", "asukkaat-2", "asukkaat-3"]


# --- answers ------------------------------------------------------------------------

def test_an_empty_organization_name_is_refused() -> None:
    with pytest.raises(WizardError, match=r"'organization': must not be empty"):
        wizard.load_answers('{"title": "T", "organization": "  ", "owner_name": "A"}', "a.json")


def test_a_channel_must_name_a_known_audience() -> None:
    data = {**FULL_ANSWERS, "channels": [{**FULL_ANSWERS["channels"][0],
                                          "audiences": ["Nobody"]}]}
    with pytest.raises(WizardError, match=r"'channels': .*unknown audience 'Nobody'"):
        wizard.load_answers(json.dumps(data), "a.json")


def test_every_bad_answer_is_named_at_once() -> None:
    text = "title: T\norganization: O\nowner_name: A\nbogus: 1\nskills_level: expert\n"
    with pytest.raises(WizardError) as caught:
        wizard.load_answers(text, "a.yaml")
    fields = sorted(p.split("'")[1] for p in caught.value.problems)
    assert fields == ["bogus", "skills_level"]


def test_a_decimal_comma_is_a_number() -> None:
    channel = ChannelAnswer(name="Blog", network="blog", purpose="Expertise",
                            posts_per_week="0,5")  # type: ignore[arg-type]
    assert channel.posts_per_week == 0.5


# --- asking -------------------------------------------------------------------------

def scripted(answers: list[str]) -> tuple[wizard.PromptFn, list[str]]:
    """A prompt function that gives ``answers`` in order and records the questions."""
    questions: list[str] = []
    remaining = iter(answers)

    def prompt(question: str, default: str) -> str:
        questions.append(question)
        answer = next(remaining)
        return default if answer == "<default>" else answer

    return prompt, questions


BASICS = ["<default>", "Somesuunnitelma", "<default>",  # language, title, time zone
          "", "  ", "Kirjastokaupunki",                # empty names are asked again
          "municipality",
          "Asukkaat", "Vuoropuhelu", "", "",          # the four questions
          "Avoin", "", "", "Olla läsnä", "basic",     # the starting point
          "Tieto kulkee, myös esihenkilöille", "",    # internal needs, one per answer
          "Matti Meikäläinen", "Viestintäpäällikkö", ""]


def test_ask_collects_answers_and_asks_again_after_a_bad_one() -> None:
    prompt, questions = scripted([
        *BASICS,
        "y", "Asukkaat", "residents", "<default>", "Palvelutieto", "", "facebook, instagram",
        "n",                                        # no more audiences
        "yes", "Palvelut löytyvät", "support", "short", "<default>",
        "y", "Facebook-sivu", "facebok", "facebook", "Keskustelu", "", "2,5", "<default>",
        "n",
    ])
    problems: list[str] = []
    answers = ask(prompt, "en", lambda text, kind: problems.append(text) if kind == "problem"
                  else None, default_language="fi")
    assert answers.language == "fi"
    assert answers.title == "Somesuunnitelma"
    assert answers.timezone == "Europe/Helsinki"
    assert answers.organization == "Kirjastokaupunki"
    assert answers.internal_needs == ["Tieto kulkee, myös esihenkilöille"]
    assert answers.audiences == [AudienceAnswer(name="Asukkaat", kind="residents",
                                                needs=["Palvelutieto"],
                                                online=["facebook", "instagram"])]
    assert answers.goal == GoalAnswer(title="Palvelut löytyvät", objective="support",
                                      horizon="short")
    assert answers.channels[0].posts_per_week == 2.5
    assert answers.channels[0].audiences == ["Asukkaat"]
    assert questions.count("Name of the organization") == 3
    assert len(problems) == 3  # two empty names and one misspelt network
    assert errors(starter_plan(answers)) == []


def test_ask_gives_up_after_too_many_bad_answers() -> None:
    prompt, _ = scripted(["<default>", "T", "<default>", *[""] * MAX_TRIES])
    with pytest.raises(WizardError, match="Name of the organization"):
        ask(prompt)


# --- the command --------------------------------------------------------------------

def test_new_with_answers_writes_a_plan_that_checks(tmp_path: Path) -> None:
    output = tmp_path / "plan.yaml"
    answers = write_answers(tmp_path, FULL_ANSWERS)
    result = runner.invoke(app, ["plan", "new", "-o", str(output), "--answers", str(answers),
                                 "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert f"kanava plan check {output}" in result.stdout
    assert load_plan(output).plan.title == "Somesuunnitelma 2026"
    checked = runner.invoke(app, ["plan", "check", str(output)])
    assert checked.exit_code == 0, checked.output


def test_new_writes_the_schema_the_plan_names_beside_it(tmp_path: Path) -> None:
    output = tmp_path / "plan.yaml"
    answers = write_answers(tmp_path, FULL_ANSWERS)
    runner.invoke(app, ["plan", "new", "-o", str(output), "--answers", str(answers)])
    first = output.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema={SCHEMA_FILE}"
    assert json.loads((tmp_path / SCHEMA_FILE).read_text(encoding="utf-8")) == json_schema()


def test_new_reads_yaml_answers_too(tmp_path: Path) -> None:
    output = tmp_path / "plan.yaml"
    answers = tmp_path / "answers.yaml"
    answers.write_text("title: Plan\norganization: Org\nowner_name: Kari Nordmann\n"
                       "language: nb\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", "new", "-o", str(output), "--answers", str(answers)])
    assert result.exit_code == 0, result.output
    assert load_plan(output).plan.people[0].id == "kari-nordmann"


def test_new_asks_interactively(tmp_path: Path) -> None:
    output = tmp_path / "plan.yaml"
    script = [*BASICS, "n", "n", "n"]  # no audiences, goal or channels
    result = runner.invoke(app, ["plan", "new", "-o", str(output), "--lang", "en"],
                           input="\n".join("" if a == "<default>" else a for a in script) + "\n")
    assert result.exit_code == 0, result.output
    assert "Name of the organization" in result.stdout
    assert "Please answer again: must not be empty" in result.stderr
    plan = load_plan(output).plan
    assert plan.organization.name == "Kirjastokaupunki"
    assert plan.language == "en"  # the question's default follows --lang
    assert plan.questions.who == "Asukkaat"


def test_new_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    output = tmp_path / "plan.yaml"
    output.write_text("keep me\n", encoding="utf-8")
    answers = write_answers(tmp_path, FULL_ANSWERS)
    args = ["plan", "new", "-o", str(output), "--answers", str(answers)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert output.read_text(encoding="utf-8") == "keep me\n"
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert load_plan(output).plan.title == "Somesuunnitelma 2026"


def test_new_reports_bad_answers_with_the_field(tmp_path: Path) -> None:
    output = tmp_path / "plan.yaml"
    answers = write_answers(tmp_path, {**FULL_ANSWERS, "organization": ""})
    result = runner.invoke(app, ["plan", "new", "-o", str(output), "--answers", str(answers)])
    assert result.exit_code == 2
    assert "bad answer for 'organization': must not be empty" in result.stderr
    assert not output.exists()


def test_new_reports_an_unreadable_answers_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("title: [unclosed\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", "new", "-o", str(tmp_path / "p.yaml"),
                                 "--answers", str(answers)])
    assert result.exit_code == 2
    assert "cannot read the answers" in result.stderr
    missing = runner.invoke(app, ["plan", "new", "-o", str(tmp_path / "p.yaml"),
                                  "--answers", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2
    assert "cannot read the answers" in missing.stderr
