"""`play [SCENARIO]`: play a scenario, in the game window or, with --text, in the terminal."""

from __future__ import annotations

import sys
from pathlib import Path

from game.i18n import Catalog

_ = Catalog({
    "summary": ("play a scenario (the default command)", "pelaa skenaario (oletuskomento)"),
    "scenario": ("a scenario file, or the name of a shipped one or one in your scenario folder (small_print); "
                 "omit to choose from a list",
                 "skenaariotiedosto tai valmiin tai oman skenaariokansiosi skenaarion nimi (small_print); "
                 "ilman tätä valitaan listasta"),
    "text": ("play in the terminal instead of a window", "pelaa päätteessä ikkunan sijaan"),
    "seed": ("seed for the order of answers (same seed, same game)", "siemenluku vastausten järjestykselle (sama siemen, sama peli)"),
    "trainee": ("the trainee's name, for the score log", "harjoittelijan nimi tuloslokia varten"),
    "mode": ("practice: notes and take-backs; assessment: the attempt that counts",
             "practice: vinkit ja peruminen; assessment: yritys, joka lasketaan"),
    "log_dir": ("folder for the score logs (default: {path})", "tuloslokien kansio (oletus: {path})"),
    "scenarios": ("a folder of your own scenarios, listed with the shipped ones (may be given more than once; "
                  "default: the scenario_folder setting, else {path})",
                  "oma skenaariokansio, jonka skenaariot näytetään valmiiden rinnalla (voi antaa useamman kerran; "
                  "oletus: asetus scenario_folder tai {path})"),
    "no_folder": ("--scenarios {path}: there is no such folder; listing the other scenarios",
                  "--scenarios {path}: kansiota ei ole, joten näytetään muut skenaariot"),
    "own_words": ("at each turn, type what you would say first; Kuule marks the closest answer (in the window or, "
                  "with --text, in the terminal)",
                  "kirjoita joka vuorolla ensin, mitä itse sanoisit; Kuule merkitsee lähimmän vastauksen (ikkunassa "
                  "tai --text-valitsimella päätteessä)"),
    "pick": ("Choose a scenario:", "Valitse skenaario:"),
    "pick_prompt": ("Number", "Numero"),
    "easy": ("easy", "helppo"),
    "medium": ("medium", "keskivaikea"),
    "hard": ("hard", "vaikea"),
    "invalid": ("(has errors: {first})", "(sisältää virheitä: {first})"),
    "none": ("No scenarios found.", "Skenaarioita ei löytynyt."),
    "cannot_play": ("This scenario has errors and cannot be played:", "Tässä skenaariossa on virheitä, eikä sitä voi pelata:"),
    "from": ("trainers: start at this node, in the window (or with --text in the terminal); practice, never logged",
             "kouluttajille: aloita tästä solmusta ikkunassa (tai --text-valitsimella päätteessä); harjoittelua, ei lokia"),
    "set": ("with --from: a flag's value, e.g. --set noticed_eyes=true (repeat for more)",
            "--from-valitsimen kanssa: lipun arvo, esim. --set noticed_eyes=true (toista tarvittaessa)"),
    "mood": ("with --from: a mood value 0–100, e.g. --mood trust=60 (repeat for more)",
             "--from-valitsimen kanssa: mielialan arvo 0–100, esim. --mood trust=60 (toista tarvittaessa)"),
    "from_practice": ("Playing from a node is for practice only: it is never logged as an assessment.",
                      "Solmusta pelaaminen on vain harjoittelua: sitä ei koskaan kirjata arvioinniksi."),
    "from_needs": ("--set and --mood need --from NODE", "--set ja --mood tarvitsevat valitsimen --from SOLMU"),
    "from_node": ("'{id}' is not a node of this scenario{hint}", "'{id}' ei ole tämän skenaarion solmu{hint}"),
    "from_ending": ("'{id}' is an ending: start from a node with answers", "'{id}' on loppu: aloita solmusta, jossa on vastauksia"),
    "from_flag": ("'{name}' is not a flag of this scenario{hint}", "'{name}' ei ole tämän skenaarion lippu{hint}"),
    "from_value": ("{name}: write {what}, not '{value}'", "{name}: kirjoita {what_fi}, ei '{value}'"),
    "from_pair": ("write NAME=VALUE, not '{text}'", "kirjoita NIMI=ARVO, ei '{text}'"),
    "from_mood": ("'{name}' is not a mood dimension (trust, distress, heard)", "'{name}' ei ole mielialan ulottuvuus (trust, distress, heard)"),
    "from_notice": ("Playing from '{node}' (practice, not logged).", "Pelataan solmusta '{node}' (harjoittelu, ei lokia)."),
    "did_you_mean": ("; did you mean '{name}'?", "; tarkoititko '{name}'?"),
})


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("scenario", nargs="?", help=_("scenario", lang))
    parser.add_argument("--text", action="store_true", help=_("text", lang))
    parser.add_argument("--seed", type=int, default=None, help=_("seed", lang))
    parser.add_argument("--trainee", default="", help=_("trainee", lang))
    parser.add_argument("--mode", choices=("practice", "assessment"), default="practice", help=_("mode", lang))
    from game.paths import default_trainer_scenarios_dir, session_log_dir

    parser.add_argument("--log-dir", default=None, metavar="DIR", help=_("log_dir", lang, path=session_log_dir()))
    parser.add_argument("--scenarios", action="append", default=[], metavar="DIR",
                        help=_("scenarios", lang, path=default_trainer_scenarios_dir()))
    parser.add_argument("--own-words", action="store_true", help=_("own_words", lang))
    parser.add_argument("--from", dest="start_at", default=None, metavar="NODE", help=_("from", lang))
    parser.add_argument("--set", dest="sets", action="append", default=[], metavar="FLAG=VALUE", help=_("set", lang))
    parser.add_argument("--mood", dest="moods", action="append", default=[], metavar="NAME=0..100", help=_("mood", lang))


def start_point(scenario, node_id: str, sets: list[str], moods: list[str], lang: str):
    """The flags and mood of a trainer's "play from here", checked: (flags, mood, problems)."""
    import difflib

    from game.scenario.model import MOOD_DIMENSIONS

    def hint(name, known):
        close = difflib.get_close_matches(name, list(known), n=1)
        return _("did_you_mean", lang, name=close[0]) if close else ""

    problems, flags, mood = [], {}, {}
    if node_id not in scenario.nodes:
        problems.append(_("from_node", lang, id=node_id, hint=hint(node_id, scenario.nodes)))
    elif scenario.nodes[node_id].is_ending:
        problems.append(_("from_ending", lang, id=node_id))
    for text in sets:
        name, equals, value = text.partition("=")
        name, value = name.strip(), value.strip().lower()
        if not equals:
            problems.append(_("from_pair", lang, text=text))
        elif name not in scenario.flags:
            problems.append(_("from_flag", lang, name=name, hint=hint(name, scenario.flags)))
        elif isinstance(scenario.flags[name], bool):
            if value not in ("true", "false"):
                problems.append(_("from_value", lang, name=name, what="true or false", what_fi="true tai false", value=value))
            else:
                flags[name] = value == "true"
        elif value.lstrip("-").isdigit():
            flags[name] = int(value)
        else:
            problems.append(_("from_value", lang, name=name, what="a whole number", what_fi="kokonaisluku", value=value))
    for text in moods:
        name, equals, value = text.partition("=")
        name, value = name.strip(), value.strip()
        if not equals:
            problems.append(_("from_pair", lang, text=text))
        elif name not in MOOD_DIMENSIONS:
            problems.append(_("from_mood", lang, name=name))
        elif not value.isdigit() or not 0 <= int(value) <= 100:
            problems.append(_("from_value", lang, name=name, what="a whole number 0–100", what_fi="kokonaisluku 0–100",
                              value=value))
        else:
            mood[name] = int(value)
    return flags, mood, problems


def _pick_in_terminal(lang: str, folders: list[str]):
    """A numbered list of the shipped scenarios and the trainer's, read from standard input."""
    from game.commands.files import playable_scenarios
    from game.i18n import pick
    from game.scenario.loader import load_scenario

    results = [load_scenario(path) for path in playable_scenarios(folders)]
    if not results:
        print(_("none", lang))
        return None
    print(_("pick", lang))
    for number, result in enumerate(results, 1):
        if result.playable:
            difficulty = result.playable.difficulty
            if difficulty in ("easy", "medium", "hard"):
                difficulty = _(difficulty, lang)
            print(f"  {number}. {pick(result.playable.title, lang)} ({difficulty})")
        else:
            print(f"  {number}. {result.path} " + _("invalid", lang, first=result.errors[0].message(lang)))
    while True:
        sys.stdout.write(_("pick_prompt", lang) + " > ")
        sys.stdout.flush()
        raw = sys.stdin.readline()
        if not raw:
            return None
        raw = raw.strip()
        if raw.lower() in ("q", "quit", "lopeta"):
            return None
        if raw.isdigit() and 1 <= int(raw) <= len(results) and results[int(raw) - 1].playable:
            return results[int(raw) - 1].playable


def run(args) -> int:
    from game.commands.files import resolve_scenario
    from game.scenario.loader import load_scenario

    folders = args.scenarios
    for folder in folders:
        if not Path(folder).expanduser().is_dir():
            print(_("no_folder", args.lang, path=folder), file=sys.stderr)
    if (args.sets or args.moods) and not args.start_at:
        print(_("from_needs", args.lang), file=sys.stderr)
        return 2
    if args.start_at is not None:
        return _play_from_here(args)

    if not args.text:  # the game window; the terminal if no window can be opened here
        from game.ui import DisplayUnavailable, run as play_in_window
        try:
            return play_in_window(scenario=str(resolve_scenario(args.scenario, folders)) if args.scenario else None,
                                  lang=args.lang, seed=args.seed, trainee=args.trainee, mode=args.mode,
                                  log_dir=args.log_dir, scenario_folders=folders,
                                  own_words=getattr(args, "own_words", False))
        except DisplayUnavailable as error:
            print(error.message(args.lang), file=sys.stderr)
    if args.scenario is None:
        scenario = _pick_in_terminal(args.lang, folders)
        if scenario is None:
            return 3
    else:
        result = load_scenario(resolve_scenario(args.scenario, folders))
        if result.playable is None:
            print(_("cannot_play", args.lang), file=sys.stderr)
            for diagnostic in result.errors:
                print(diagnostic.format(args.lang), file=sys.stderr)
            return 1
        scenario = result.playable
    from game.session.terminal import play_in_terminal  # writes the score log; offers to resume
    return play_in_terminal(scenario, lang=args.lang, seed=args.seed, mode=args.mode, trainee=args.trainee,
                            log_dir=args.log_dir, own_words=getattr(args, "own_words", False))


def _play_from_here(args) -> int:
    """A trainer's "play from here": in the window, or in the terminal with --text or where no window can be
    opened. The starting point is checked first, the same way for both. Practice only, never logged."""
    from game.commands.files import resolve_scenario
    from game.engine import Conversation
    from game.scenario.loader import load_scenario
    from game.terminal import TerminalGame

    lang = args.lang
    if args.mode == "assessment":
        print(_("from_practice", lang), file=sys.stderr)
        return 2
    if args.scenario is None:
        print(_("from_needs", lang), file=sys.stderr)
        return 2
    result = load_scenario(resolve_scenario(args.scenario, args.scenarios))
    if result.playable is None:
        print(_("cannot_play", lang), file=sys.stderr)
        for diagnostic in result.errors:
            print(diagnostic.format(lang), file=sys.stderr)
        return 1
    scenario = result.playable
    flags, mood, problems = start_point(scenario, args.start_at, args.sets, args.moods, lang)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return 2
    if not args.text:
        from game.ui import DisplayUnavailable, run as play_in_window
        from game.ui.records import StartPoint

        try:
            return play_in_window(scenario=scenario, lang=lang, seed=args.seed, trainee=args.trainee, mode="practice",
                                  log_dir=args.log_dir, scenario_folders=args.scenarios,
                                  own_words=getattr(args, "own_words", False), start_at=StartPoint(args.start_at, flags, mood))
        except DisplayUnavailable as error:
            print(error.message(lang), file=sys.stderr)
    conversation = Conversation.from_here(scenario, args.start_at, flags, mood, seed=args.seed)
    game = TerminalGame(scenario, lang=lang, mode="practice", conversation=conversation,
                        notice=_("from_notice", lang, node=args.start_at))
    return game.run()
