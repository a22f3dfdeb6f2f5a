"""`analyze SCENARIO`: every path the engine allows: endings, paths, best and worst scores, problems."""

from __future__ import annotations

import json
import sys

from game.i18n import Catalog

_ = Catalog({
    "summary": ("explore every path of a scenario: endings, number of paths, best and worst scores, problems",
                "tutki skenaarion kaikki polut: loppuratkaisut, polkujen määrä, parhaat ja huonoimmat pisteet, ongelmat"),
    "scenario": ("a scenario file, or the ID of a shipped one", "skenaariotiedosto tai valmiin skenaarion tunnus"),
    "format": ("output format", "tulosteen muoto"),
    "limit": ("stop after this many states (default: {limit:,})", "lopeta, kun tiloja on tämän verran (oletus: {limit:,})"),
    "cannot": ("This scenario has errors, so its paths cannot be explored:",
               "Tässä skenaariossa on virheitä, joten sen polkuja ei voi tutkia:"),
    "title": ("{title} ({file})", "{title} ({file})"),
    "explored": ("States explored: {states} ({moves} moves between them)",
                 "Tutkittuja tiloja: {states} (siirtoja niiden välillä {moves})"),
    "cut_short": ("The exploration stopped at its limit of {limit} states: the figures below cover only what was found, "
                  "and the best and worst scores are bounds (from the states explored and from whole conversations "
                  "played to an ending), not exact.",
                  "Tutkiminen pysähtyi {limit} tilan rajaan: alla olevat luvut kattavat vain löydetyn osan, ja parhaat "
                  "ja huonoimmat pisteet ovat rajoja (tutkituista tiloista ja loppuun asti pelatuista keskusteluista), "
                  "eivät tarkkoja."),
    "endings": ("Endings", "Loppuratkaisut"),
    "reachable": ("reachable, e.g. {route}", "mahdollinen, esim. {route}"),
    "unreachable": ("NEVER REACHED", "EI KOSKAAN"),
    "unknown": ("not reached before the limit", "ei löytynyt ennen rajaa"),
    "why": ("why: {reason}", "syy: {reason}"),
    "paths": ("Distinct paths: {paths}", "Erilaisia polkuja: {paths}"),
    "paths_unbounded": ("Distinct paths: unbounded (a loop can be gone round as often as one likes)",
                        "Erilaisia polkuja: rajaton (silmukkaa voi kiertää niin monta kertaa kuin haluaa)"),
    "paths_at_least": ("Distinct paths: at least {paths}", "Erilaisia polkuja: vähintään {paths}"),
    "scores": ("Most and fewest points along one path (a trainee's score compares each answer with the best on offer then)",
               "Eniten ja vähiten pisteitä yhdellä polulla (harjoittelijan tulos vertaa jokaista vastausta silloin tarjolla olleista parhaaseen)"),
    "best": ("best", "paras"),
    "worst": ("worst", "huonoin"),
    "best_found": ("best found: at least {points} (at most {other})", "paras löytynyt: vähintään {points} (yläraja {other})"),
    "best_found_open": ("best found: at least {points} (upper bound unknown: the scenario can loop)",
                        "paras löytynyt: vähintään {points} (ylärajaa ei tiedetä, koska skenaariossa voi kiertää silmukkaa)"),
    "worst_found": ("worst found: at most {points} (at least {other})", "huonoin löytynyt: enintään {points} (alaraja {other})"),
    "worst_found_open": ("worst found: at most {points} (lower bound unknown: the scenario can loop)",
                         "huonoin löytynyt: enintään {points} (alarajaa ei tiedetä, koska skenaariossa voi kiertää silmukkaa)"),
    "listening": ("listening", "kuuntelu"),
    "empathy": ("empathy", "empatia"),
    "no_end": ("no complete conversation", "ei yhtään loppuun asti vietyä keskustelua"),
    "via": ("via", "reitti"),
    "start_only": ("(at the start)", "(heti alussa)"),
    "tags_unreachable": ("Tags on choices that can never be taken: {tags}",
                         "Tagit valinnoissa, joita ei voi koskaan tehdä: {tags}"),
    "tags_unused": ("Behaviour codes no answer of this scenario has: {tags}",
                    "Toimintakoodit, joita yhdelläkään tämän skenaarion vastauksella ei ole: {tags}"),
    "committed": ("Nodes after which only one ending can follow", "Solmut, joiden jälkeen vain yksi loppu on mahdollinen"),
    "committed_line": ("→ {ending}: {nodes}", "→ {ending}: {nodes}"),
    "unreached": ("Nodes never reached under the conditions: {nodes}",
                  "Solmut, joihin ehtojen vuoksi ei päädytä koskaan: {nodes}"),
    "never_taken": ("Choices that can never be taken", "Valinnat, joita ei voi koskaan tehdä"),
    "problems": ("Problems", "Ongelmat"),
    "no_problems": ("Problems: none found", "Ongelmia: ei löytynyt"),
    "none": ("none", "ei yhtään"),
    "whole": ("print routes whole, to copy into a test plan (by default long ones are shortened in the middle)",
              "tulosta reitit kokonaan testisuunnitelmaan kopioitaviksi (oletuksena pitkät lyhennetään keskeltä)"),
    "outcome_good": ("good", "hyvä"),
    "outcome_mixed": ("mixed", "puolinainen"),
    "outcome_bad": ("bad", "huono"),
    "outcome_left": ("left", "lähti"),
    "outcome_unfinished": ("unfinished", "kesken"),
    "gaming": ("Can it be gamed? Players who do not read for meaning ({language}; goal: at most 35 % on both, never the good ending)",
               "Voiko sitä pelata lukematta? Pelaajat, jotka eivät lue merkitystä ({language}; tavoite: enintään 35 % kummassakin, ei koskaan hyvää loppua)"),
    "strategy_longest": ("always the longest answer", "aina pisin vastaus"),
    "strategy_shortest": ("always the shortest answer", "aina lyhin vastaus"),
    "strategy_random": ("at random ({runs} runs)", "satunnaisesti ({runs} kertaa)"),
    "naive_line": ("{who}: listening {listening}, empathy {empathy}; endings {endings}",
                   "{who}: kuuntelu {listening}, empatia {empathy}; päättyi: {endings}"),
    "longest_best": ("The best answer is also the longest at {hits} of {points} decision points ({language}).",
                     "Paras vastaus on myös pisin {hits} päätöskohdassa {points}:stä ({language})."),
    "ceilings": ("Ceilings: a conversation with a harmful move scores at most {harm} (found: {harm_found}); one that ends badly or with the customer leaving at most {bad} (found: {bad_found}).",
                 "Katot: keskustelu, jossa on vahingollinen siirto, saa enintään {harm} (löydetty: {harm_found}); huonosti tai asiakkaan lähtöön päättyvä enintään {bad} (löydetty: {bad_found})."),
})


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    from game.engine.paths import STATE_LIMIT

    parser.add_argument("scenario", help=_("scenario", lang))
    parser.add_argument("--format", choices=("text", "json"), default="text", help=_("format", lang))
    parser.add_argument("--whole-routes", action="store_true", help=_("whole", lang))
    parser.add_argument("--limit", type=int, default=STATE_LIMIT, metavar="STATES", help=_("limit", lang, limit=STATE_LIMIT))


def _number(value: int, lang: str) -> str:
    text = f"{value:,}"
    return text.replace(",", "\u00a0") if lang == "fi" else text


def _points(value: float, lang: str) -> str:
    from game.i18n import number

    return number(value, lang, 0) if float(value).is_integer() else number(value, lang, 1)


def _route(steps, lang: str, whole: bool = False) -> str:
    """A route, shortened in the middle like diagnostics' (`--format json` and --whole-routes give it whole,
    for copying into a test plan)."""
    from game.analysis.findings import MAX_ROUTE_STEPS

    if not steps:
        return _("start_only", lang)
    if not whole and len(steps) > MAX_ROUTE_STEPS:
        steps = list(steps[:3]) + ["…"] + list(steps[-(MAX_ROUTE_STEPS - 4):])
    return " → ".join(steps)


def naive_text(report, lang: str) -> list[str]:
    """How naive players do, how often length gives the answer away, and the score's ceilings."""
    from game.i18n import percent

    out = []
    for code in report.scenario.languages:
        results = [result for result in report.naive if result.lang == code]
        if not results:
            continue
        out += ["", _("gaming", lang, language=code)]
        for result in results:
            who = _("strategy_" + result.strategy, lang, runs=result.runs)
            endings = ", ".join(f"{_('outcome_' + outcome, lang)} {count}" for outcome, count in result.endings.most_common())
            out.append("  " + _("naive_line", lang, who=who, listening=percent(result.listening, lang),
                                empathy=percent(result.empathy, lang), endings=endings))
        hits, points = report.longest_best.get(code, (0, 0))
        out.append("  " + _("longest_best", lang, hits=hits, points=points, language=code))
    ceilings = report.ceilings
    if ceilings is not None:
        def found(value):
            return percent(value, lang) if value is not None else "–"
        out += ["", _("ceilings", lang, harm=percent(ceilings.one_harmful_move, lang),
                      harm_found=found(ceilings.reached_harmful), bad=percent(ceilings.bad_or_left_ending, lang),
                      bad_found=found(ceilings.reached_bad_or_left))]
    return out


def format_text(report, lang: str, whole: bool = False) -> str:
    from game.engine.paths import UNBOUNDED
    from game.i18n import pick
    from game.scenario.rubric import AXES

    scenario = report.scenario
    pick_index = 1 if lang == "fi" else 0
    out = [_("title", lang, title=pick(scenario.title, lang), file=scenario.path),
           _("explored", lang, states=_number(report.states, lang), moves=_number(report.moves, lang))]
    if not report.complete:
        out.append(_("cut_short", lang, limit=_number(report.limit, lang)))
    out += ["", _("endings", lang)]
    width = max((len(e.id) for e in report.endings), default=0)
    for ending in report.endings:
        head = f"  {ending.id:<{width}}  {_('outcome_' + ending.outcome, lang):<6}  "
        if ending.reachable:
            out.append(head + _("reachable", lang, route=_route(ending.example, lang, whole)))
        elif report.complete:
            out.append(head + _("unreachable", lang))
            for reason in ending.reasons:
                out.append("      " + _("why", lang, reason=reason[pick_index]))
        else:
            out.append(head + _("unknown", lang))
    out.append("")
    if report.paths == UNBOUNDED:
        out.append(_("paths_unbounded", lang))
    elif report.complete:
        out.append(_("paths", lang, paths=_number(report.paths, lang)))
    else:
        out.append(_("paths_at_least", lang, paths=_number(report.paths, lang)))
    out += ["", _("scores", lang)]
    for axis in AXES:
        for which in ("best", "worst"):
            bound = getattr(report, which)[axis]
            label = f"  {_(axis, lang)}, {_(which, lang)}:"
            exact = getattr(report, which + "_exact").get(axis, report.complete)
            if bound is None:
                out.append(f"{label} {_('no_end', lang)}")
            elif exact:
                out.append(f"{label} {_points(bound.points, lang)}  {_('via', lang)} {_route(bound.choices, lang, whole)}")
            else:  # past the state limit: the best found so far, never below a score some conversation reaches
                other = (report.best_at_most if which == "best" else report.worst_at_least).get(axis)
                found = _(which + ("_found_open" if other is None else "_found"), lang, points=_points(bound.points, lang),
                          other="" if other is None else _points(other, lang))
                out.append(f"  {_(axis, lang)}, {found}  {_('via', lang)} {_route(bound.choices, lang, whole)}")
    out += naive_text(report, lang)
    if report.unreachable_tags:
        out += ["", _("tags_unreachable", lang, tags=", ".join(report.unreachable_tags))]
    if report.unused_tags:
        out += ["", _("tags_unused", lang, tags=", ".join(report.unused_tags))]
    if report.committed:
        out += ["", _("committed", lang)]
        by_ending: dict[str, list[str]] = {}
        for node_id, ending in report.committed.items():
            by_ending.setdefault(ending, []).append(node_id)
        for ending, node_ids in by_ending.items():
            out.append("  " + _("committed_line", lang, ending=ending, nodes=", ".join(node_ids)))
    if report.unreached_nodes:
        out += ["", _("unreached", lang, nodes=", ".join(report.unreached_nodes))]
    if report.never_taken:
        out += ["", _("never_taken", lang)]
        for node_id, choice_id, why in report.never_taken:
            out.append(f"  {node_id}.{choice_id}: {why[pick_index]}")
    out.append("")
    if report.problems:
        out.append(_("problems", lang))
        out += [diagnostic.format(lang) for diagnostic in report.problems]
    else:
        out.append(_("no_problems", lang))
    return "\n".join(out)


def run(args) -> int:
    from game.analysis.analyze import analyze
    from game.commands.files import resolve_scenario
    from game.scenario.loader import load_scenario

    result = load_scenario(resolve_scenario(args.scenario))
    if result.scenario is None:
        print(_("cannot", args.lang), file=sys.stderr)
        for diagnostic in result.errors:
            print(diagnostic.format(args.lang), file=sys.stderr)
        return 1
    report = analyze(result.scenario, limit=max(1, args.limit))
    if args.format == "json":
        print(json.dumps(report.as_json(args.lang), ensure_ascii=False, indent=2))
    else:
        print(format_text(report, args.lang, args.whole_routes))
    return 1 if any(d.is_error for d in report.problems) else 0
