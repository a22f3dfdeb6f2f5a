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
    "pick": ("Choose a scenario:", "Valitse skenaario:"),
    "pick_prompt": ("Number", "Numero"),
    "easy": ("easy", "helppo"),
    "medium": ("medium", "keskivaikea"),
    "hard": ("hard", "vaikea"),
    "invalid": ("(has errors: {first})", "(sisältää virheitä: {first})"),
    "none": ("No scenarios found.", "Skenaarioita ei löytynyt."),
    "cannot_play": ("This scenario has errors and cannot be played:", "Tässä skenaariossa on virheitä, eikä sitä voi pelata:"),
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
    if not args.text:  # the game window; the terminal if no window can be opened here
        from game.ui import DisplayUnavailable, run as play_in_window
        try:
            return play_in_window(scenario=str(resolve_scenario(args.scenario, folders)) if args.scenario else None,
                                  lang=args.lang, seed=args.seed, trainee=args.trainee, mode=args.mode,
                                  log_dir=args.log_dir, scenario_folders=folders)
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
                            log_dir=args.log_dir)
