"""`code [TEXT...]`: code replies as the own-words mode does — main behaviour, group, secondary codes, and the
words that led there. Without TEXT, each line of standard input is one reply (an empty line is silence)."""

from __future__ import annotations

import io
import json
import sys

from game.i18n import Catalog

_ = Catalog({
    "summary": ("code replies by behaviour (the own-words coder), for trainers and coaches",
                "koodaa vastauksia käyttäytymisen mukaan (omin sanoin -tilan koodaaja) kouluttajille ja valmentajille"),
    "texts": ("replies to code; without them, each line of standard input is one reply",
              "koodattavat vastaukset; ilman niitä jokainen vakiosyötteen rivi on yksi vastaus"),
    "format": ("output: text for people (default) or json", "tuloste: tekstinä ihmisille (oletus) tai json"),
    "reply_lang": ("the language the replies are written in (default: read from each reply, Finnish or English)",
                   "kieli, jolla vastaukset on kirjoitettu (oletus: päätellään kustakin vastauksesta, suomi tai "
                   "englanti)"),
    "silence": ("(nothing said)", "(ei sanottu mitään)"),
    "main": ("{code} — {group}", "{code} — {group}"),
    "also": ("also: {codes}", "lisäksi: {codes}"),
    "confidence": ("confidence {value}", "varmuus {value}"),
    "because": ("because", "perusteet"),
    "none": ("Nothing to code.", "Ei koodattavaa."),
})

MAX_REPLIES = 100_000  # a runaway pipe is cut here rather than filling memory


def summary(lang: str) -> str:
    return _("summary", lang)


def add_arguments(parser, lang: str) -> None:
    parser.add_argument("texts", nargs="*", metavar="TEXT", help=_("texts", lang))
    parser.add_argument("--format", choices=("text", "json"), default="text", help=_("format", lang))
    parser.add_argument("--reply-lang", choices=("en", "fi"), default=None, help=_("reply_lang", lang))


def _stdin_lines():
    stream = getattr(sys.stdin, "buffer", None)
    stream = io.TextIOWrapper(stream, encoding="utf-8", errors="replace") if stream is not None else sys.stdin
    for count, line in enumerate(stream):
        if count >= MAX_REPLIES:
            break
        yield line.rstrip("\r\n")


def run(args) -> int:
    from game.coding import code_name, group_name
    from game.coding.analysis import guess_lang
    from game.coding.coder import code_reply
    from game.i18n import percent

    lang = args.lang
    texts = args.texts if args.texts else _stdin_lines()
    codings = [code_reply(text, args.reply_lang or guess_lang(text)) for text in texts]
    if args.format == "json":
        print(json.dumps([c.as_dict() for c in codings], ensure_ascii=False, indent=2))
        return 0
    if not codings:
        print(_("none", lang), file=sys.stderr)
        return 0
    for number, coding in enumerate(codings, 1):
        shown = f"\u201c{coding.text}\u201d" if coding.text else _("silence", lang)
        print(f"{number}. {shown}")
        print("   " + _("main", lang, code=code_name(coding.main, lang), group=group_name(coding.group, lang))
              + "  (" + _("confidence", lang, value=percent(coding.confidence, lang)) + ")")
        if len(coding.codes) > 1:
            print("   " + _("also", lang, codes=", ".join(code_name(c, lang) for c in coding.codes[1:])))
        evidence = coding.evidence_in(lang)
        if evidence:
            print(f"   {_('because', lang)}: " + "; ".join(evidence))
    return 0
