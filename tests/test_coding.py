"""The reply coder: what a trainer and a coach rely on when a trainee answers in their own words."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from game.coding import CODES, GROUPS, OTHER, SILENCE, code_reply, group_of, rank_choices
from game.coding.analysis import analyse
from game.coding.corpus import load_corpus

ROOT = Path(__file__).parent.parent


# -- the result a coach reads -------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang, group", [
    ("Onko teillä asiakasnumero?", "fi", "question"),
    ("Mitä sitten tapahtui?", "fi", "question"),
    ("Voisitteko kertoa lisää?", "fi", "question"),
    ("Did you get the email?", "en", "question"),
    ("What happened after that?", "en", "question"),
    ("Kuulostaa siltä, että olet tosi väsynyt tähän.", "fi", "reflection"),
    ("It sounds like you're exhausted by all this.", "en", "reflection"),
    ("Olen pahoillani, että paketti myöhästyi.", "fi", "support"),
    ("I'm sorry we sent you the wrong invoice.", "en", "support"),
    ("Katsotaanko tätä yhdessä?", "fi", "support"),
    ("Älä huoli, ei se mitään.", "fi", "roadblock"),
    ("Don't worry, it's nothing.", "en", "roadblock"),
    ("Teidän pitää täyttää lomake.", "fi", "roadblock"),
])
def test_replies_not_in_the_corpus_get_the_group_a_coach_would_give(text, lang, group):
    coding = code_reply(text, lang)
    assert coding.group == group, (coding.main, coding.evidence)
    assert coding.main in CODES and group_of(coding.main) == coding.group
    assert coding.codes[0] == coding.main and len(set(coding.codes)) == len(coding.codes)
    assert all(code in CODES for code in coding.codes)
    assert 0 < coding.confidence <= 1
    assert coding.evidence and all(isinstance(item, str) and item for item in coding.evidence)


def test_the_evidence_names_the_words_that_decided():
    coding = code_reply("Saitteko vahvistusviestin?", "fi")
    assert coding.main == "closed_question"
    assert any("Saitteko" in item and "-ko" in item for item in coding.evidence)
    apology = code_reply("Olen pahoillani, että lasku meni väärin.", "fi")
    assert any("pahoillani" in item for item in apology.evidence)
    # and in the coach's language when that differs from the reply's
    assert any("clitic" in item for item in coding.evidence_in("en"))


def test_an_empty_reply_is_attentive_silence():
    for text in ("", "   ", "\n", "..."):
        coding = code_reply(text, "fi")
        assert (coding.main, coding.group, coding.codes) == (SILENCE, "support", (SILENCE,))
        assert coding.confidence == 1.0 and coding.evidence


def test_as_dict_carries_what_the_json_output_promises():
    data = code_reply("Eli paketti ei tullut.", "fi").as_dict()
    assert {"text", "lang", "main", "codes", "group", "evidence", "confidence"} <= set(data)
    json.dumps(data)


# -- the linguistics under it ------------------------------------------------------------------------

def features(text, lang="fi"):
    return set(analyse(text, lang).features)


def test_finnish_question_clitics_are_read_from_the_surface_and_nouns_ending_in_ko_are_not():
    assert "fi_question_clitic" in features("Saitteko viestin?")
    assert "fi_question_clitic" in features("Onks sulla kuittia")          # puhekieli -ks
    assert "fi_question_clitic" in features("Ootsä varma?")                # ... and fused with the pronoun
    assert "fi_question_clitic" in features("Ettekö saaneet viestiä?")
    assert "fi_question_clitic" not in features("Verkko on ollut poikki.")
    assert "fi_question_clitic" not in features("On pakko odottaa.")
    assert "fi_question_clitic" not in features("Laatikko tuli rikki.")


def test_finnish_conditional_passive_imperative_and_negation():
    assert "fi_conditional" in features("Voisitte soittaa huomenna.")
    assert "fi_conditional" in features("Se vois toimia.")                 # puhekieli, written out first
    assert {"fi_passive_present", "fi_lets"} <= features("Katsotaan yhdessä.")
    assert "fi_passive_past" in features("Koulutus peruttiin.")
    assert "fi_imperative_plural" in features("Täyttäkää lomake.")
    assert "negative_imperative" in features("Älkää soittako enää.")
    for text in ("En tiedä.", "Ette saaneet viestiä.", "Eivät vastanneet."):
        assert analyse(text, "fi").negated, text
    assert not analyse("Saitte viestin.", "fi").negated


def test_both_finnish_address_forms_are_recognised():
    assert "addressed_te" in features("Teillä on oikeus hyvitykseen.")
    assert "addressed_te" in features("Tilasitte kaksi.")
    assert "addressed_sinä" in features("Sulla on oikeus hyvitykseen.")
    assert "addressed_sinä" in features("Olet soittanut jo kolmesti.")


def test_english_question_syntax_and_negation():
    assert "en_aux_before_subject" in features("Did you get the email", "en")
    assert "en_aux_before_subject" in features("So, is it the blue one?", "en")
    assert "en_aux_before_subject" not in features("You did get the email.", "en")
    assert "question_word_open" in features("How did it go?", "en")
    assert "question_word_fact" in features("How many do you need?", "en")
    assert analyse("It didn't arrive.", "en").negated and analyse("It never came.", "en").negated
    assert not analyse("It arrived.", "en").negated


def test_lemmas_join_inflected_forms():
    assert "w:lasku" in features("Laskusta puuttui rivi.") and "w:lasku" in features("Laskut tulivat.")
    assert "w:invoice" in features("The invoices were late.", "en")


# -- ranking the offered answers ------------------------------------------------------------------------

def test_ranking_is_by_meaning_not_by_shared_words():
    ranked = rank_choices("Mitä tapahtui?", "fi", [
        ("blame", "Mitä tapahtui, se on teidän vika: olisi pitänyt lukea ehdot.", "blame"),
        ("ask", "Kertoisitteko, miten kävi?", "open_question")])
    assert ranked[0][0] == "ask"
    ranked = rank_choices("What happened?", "en", [
        ("lecture", "What happened is that you should have read the terms.", "lecture"),
        ("ask", "Tell me how it went.", "open_question")])
    assert ranked[0][0] == "ask"


def test_ranking_hears_negation():
    for lang, reply, yes, no in (
            ("en", "The parcel did not arrive.", "So the parcel arrived.", "So the parcel never came."),
            ("fi", "Paketti ei tullut perille.", "Eli paketti tuli perille.", "Eli paketti ei tullut.")):
        ranked = rank_choices(reply, lang, [("yes", yes, "simple_reflection"), ("no", no, "simple_reflection")])
        assert ranked[0][0] == "no", (lang, ranked)


def test_silence_ranks_the_silent_answer_first_and_every_choice_is_returned():
    choices = [("ask", "Mitä tapahtui?", "open_question"), ("wait", "(Nyökkää.)", SILENCE),
               ("fix", "Tehdään näin.", None)]
    ranked = rank_choices("", "fi", choices)
    assert ranked[0][0] == "wait" and sorted(i for i, _ in ranked) == ["ask", "fix", "wait"]
    assert all(0 <= score <= 1 for _, score in ranked)


def test_the_coder_codes_with_the_scoring_models_codes_and_groups():
    """One code set: what the coder says of a reply is what the rubric scores an answer by."""
    from game.scenario.rubric import load_rubric

    rubric = load_rubric()
    assert {code: entry.group for code, entry in rubric.codes.items()} == \
        {code: group for code, (group, _en, _fi) in CODES.items() if code != OTHER}


# -- bad input -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "x" * 10_000,
    ("Ymmärrän, että tilanne on hankala. " * 400)[:10_000],
    "😀😡🙏",
    "Ymmärrän your point, mutta the invoice on väärin 🙃",
    "?!?!...,,,;;",
    "\x00\x07\x1b[31mrm -rf /\x1b[0m; $(touch /tmp/kuule-should-not-exist)",
    "\u202eKiitos\u202c soitosta \u200f\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
    "<script>alert('x')</script> {{ 7*7 }} %s {0}",
    "\ud800 lone surrogate",
])
@pytest.mark.parametrize("lang", ["fi", "en", "sv"])
def test_bad_input_is_coded_or_called_other_never_a_crash(text, lang):
    coding = code_reply(text, lang)
    assert coding.main in CODES and coding.group in GROUPS
    assert len(coding.text) <= 2000
    assert not any(ord(ch) < 32 for ch in coding.text)
    assert "\u202e" not in coding.text
    rank_choices(text, lang, [("a", text, None), ("b", "Mitä tapahtui?", "open_question")])
    assert not Path("/tmp/kuule-should-not-exist").exists()


def test_text_with_no_words_is_other():
    for text in ("😀😡🙏", "?!?!", "12345"):
        assert code_reply(text, "fi").main == OTHER


# -- the corpus and the model ----------------------------------------------------------------------------

def shipped_answers():
    texts = set()
    for path in (ROOT / "scenarios").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for node in (data or {}).get("nodes", []) if isinstance(data, dict) else []:
            for choice in node.get("choices", []) or []:
                text = choice.get("text")
                if isinstance(text, dict):
                    texts.update(str(v).strip().lower() for v in text.values())
    return texts


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_the_corpus_has_300_replies_a_language_every_code_in_both_splits_and_none_shared(lang):
    rows = load_corpus(lang)
    assert len(rows) >= 300
    coded = {code for code in CODES if code != OTHER}
    assert {r.code for r in rows} == coded
    for split in ("train", "test"):
        assert {r.code for r in rows if r.split == split} == coded, split
    assert {r.split for r in rows} == {"train", "test"}
    train = {r.text for r in rows if r.split == "train" and r.text}
    assert not train & {r.text for r in rows if r.split == "test"}
    assert not {r.text.strip().lower() for r in rows if r.text} & shipped_answers()


def test_the_shipped_model_is_what_the_training_script_makes_of_the_train_split(tmp_path):
    target = tmp_path / "model.json"
    run = subprocess.run([sys.executable, "-m", "game.coding.train", "--output", str(target)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    shipped = json.loads((ROOT / "game" / "coding" / "model.json").read_text(encoding="utf-8"))
    assert json.loads(target.read_text(encoding="utf-8")) == shipped
    assert shipped["codes"] == [c for c in CODES if c != OTHER]


def test_importing_the_game_loads_neither_the_coder_nor_its_dictionaries():
    code = ("import sys, game.coding, game.terminal, game.cli, game.engine, game.session.log;"
            "loaded = [m for m in ('simplemma', 'game.coding.coder', 'game.coding.model', 'pygame') if m in sys.modules];"
            "sys.exit(str(loaded) if loaded else 0)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


# -- promises taken back, suppositions, and the forms that were misread ---------------------------------

@pytest.mark.parametrize("text, lang", [
    ("I can't promise anything, but I'll check", "en"),
    ("I am not going to promise anything", "en"),
    ("En voi luvata mitään, mutta selvitän", "fi"),
])
def test_a_promise_the_speaker_declines_is_not_a_false_promise(text, lang):
    analysis = analyse(text, lang)
    assert "certainty" not in analysis.features and "cue:certainty" not in analysis.features
    assert "promise_negated" in analysis.features
    assert code_reply(text, lang).main != "false_promise"


@pytest.mark.parametrize("text, lang", [
    ("I promise it will be sorted today.", "en"),
    ("Lupaan, että se hoituu.", "fi"),
    ("Se ei varmasti toistu.", "fi"),  # "certainly not again" is still a promise
    ("There won't be any more outages, I can guarantee that.", "en"),
])
def test_a_real_promise_is_still_heard(text, lang):
    assert "certainty" in analyse(text, lang).features
    assert code_reply(text, lang).main == "false_promise"


def test_declining_to_promise_ranks_the_promise_below_the_other_answers():
    ranked = rank_choices("I am not going to promise anything", "en", [
        ("promise", "I promise it will be sorted today.", "false_promise"),
        ("look", "Let me find out what happened and tell you what I can.", "give_information")])
    assert ranked[0][0] == "look", ranked


def test_varmasti_supposing_what_the_customer_went_through_is_no_promise():
    coding = code_reply("Se on varmasti ollut tosi stressaavaa", "fi")
    assert coding.main != "false_promise" and "certainty" not in analyse(coding.text, "fi").features
    assert any("varmasti" in item for item in coding.evidence)


def test_finnish_forms_that_were_misread():
    # plural participles are not the sinä form
    assert "addressed_sinä" not in features("Te olette odottaneet ja soittaneet monta kertaa")
    assert "addressed_sinä" in features("Olet soittanut jo kolmesti.")
    # the case colon of an abbreviation is not a colon before a list
    assert "colon" not in features("SLA:n mukaan asian käsittely kestää")
    assert "colon" in features("Tarvitsen kolme asiaa: nimen, osoitteen ja numeron.")
    # a genitive is not the speaker's own minä form
    sla = analyse("SLA:n mukaan asian käsittely kestää", "fi")
    assert "asian" not in sla.words_for.get("speaker_minä", [])
    assert "speaker_minä" in features("Selvitän asian heti.")


@pytest.mark.parametrize("text, lang", [
    ("Thanks for waiting in line", "en"), ("I'll look in the system for you", "en"),
    ("Se on ikävä kuulla", "fi"), ("Se on varmasti ollut tosi stressaavaa", "fi"),
])
def test_function_words_are_not_shown_as_evidence(text, lang):
    from game.coding.coder import STOPWORDS

    coding = code_reply(text, lang)
    for feature, words in coding.evidence_keys:
        if feature.startswith(("w:", "first:")):
            assert feature.split(":", 1)[1] not in STOPWORDS[lang], coding.evidence
    assert not {"for", "in", "se", "Se"} & set(coding.words)


# -- nothing close, cut-off words, the JSON's words ------------------------------------------------------

@pytest.mark.parametrize("text", ["", "😀🙏", "blorf zint quaggle"])
def test_when_nothing_is_close_no_answer_is_closest(text):
    from game.coding.coder import closest_choice

    choices = [("calm", "It's not a big deal.", "minimise"), ("ask", "What happened?", "open_question")]
    ranking = rank_choices(text, "en", choices)
    assert closest_choice(ranking) is None, ranking
    assert closest_choice(rank_choices("What happened next?", "en", choices)) == "ask"
    silent = choices + [("wait", "(Nods.)", SILENCE)]
    assert closest_choice(rank_choices(text, "en", silent)) == ("wait" if text == "" else None)


def test_words_cut_off_at_2000_characters_end_in_an_ellipsis():
    coding = code_reply("sana " * 1000, "fi")
    assert len(coding.text) == 2000 and coding.text.endswith("\u2026")
    assert not code_reply("lyhyt vastaus", "fi").text.endswith("\u2026")


def test_as_dict_has_the_words_that_decided_and_the_text_as_typed():
    typed = "  Olen   pahoillani, että lasku meni väärin.\u200b"
    data = code_reply(typed, "fi").as_dict()
    assert data["typed"] == typed and data["text"] == "Olen pahoillani, että lasku meni väärin."
    assert "pahoillani" in data["words"] and all(isinstance(w, str) for w in data["words"])


def test_the_language_of_a_reply_is_read_from_its_words():
    from game.coding.analysis import guess_lang

    assert guess_lang("Olen pahoillani, että lasku meni väärin.") == "fi"
    assert guess_lang("Saitteko viestin?") == "fi"
    assert guess_lang("What happened after that?") == "en"
    assert guess_lang("") == "en"


# -- the Finnish lemma table ------------------------------------------------------------------------------

def test_the_lemma_table_gives_simplemmas_lemmas_and_reads_inflections_of_known_words():
    from game.coding.analysis import lemma, lemmatizer

    for word in ("laskusta", "laskut", "luvata", "odottaneet", "selvitän", "pahoillani"):
        assert lemma(word, "fi") == lemmatizer().lemmatize(word, "fi").lower(), word
    assert lemma("stressaavaa", "fi") == "stressata"  # not in the table: a known form and its ending


def test_the_shipped_lemma_table_is_what_the_script_makes_from_simplemma():
    run = subprocess.run([sys.executable, "-m", "game.coding.lemmas", "--check"], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
