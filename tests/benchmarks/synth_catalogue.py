"""Seeded synthetic catalogues at scale, built through the store's bulk path and cached.

A catalogue of ``n`` records has a realistic hierarchy (fonds → series → files → items),
authorities with variant names in several scripts and links to them, EDTF dates of every kind,
text in Latin, Cyrillic, Armenian and Arabic scripts drawn from Zipf-distributed vocabularies,
and the Unicode traps search must cope with (NFD forms, ZWNJ, harakat, ё, և, Arabic ي/ك/ة).
The same ``(n, seed)`` always gives the same catalogue.

Marker words are planted in exactly known numbers of items (``qxone`` in 1, ``qxten`` in 10,
``qxhundred`` in 100, ``qxthousand`` in 1000, ``qxtenth`` in a tenth, ``qxhalf`` in half), so
search benchmarks can check their hit counts; the counts are in the manifest.

``ensure_catalogue(scale)`` builds once and caches under ``tests/benchmarks/_data/`` keyed by
size and :data:`GENERATOR_VERSION`; ``python -m tests.benchmarks.synth_catalogue 100k`` builds one.
"""

from __future__ import annotations

import fcntl
import json
import math
import random
import shutil
import sqlite3
import sys
import time
import unicodedata
import uuid as uuidlib
from pathlib import Path
from typing import Iterator

from archivist.store.bulk import bulk_import
from archivist.store.catalogue import create_catalogue

GENERATOR_VERSION = 1
SEED = 20261123
DATA_DIR = Path(__file__).resolve().parent / "_data"
ZWNJ = "\u200c"
HARAKAT = ("\u064e", "\u0650", "\u064f", "\u0652", "\u064b")

LANGS = (("en", "Latn", 0.40), ("ru", "Cyrl", 0.20), ("hy", "Armn", 0.15), ("prs", "Arab", 0.15),
         ("pus", "Arab", 0.10))
ITEM_TYPES = (("letter", 30), ("press_clipping", 15), ("report", 12), ("captured_document", 10),
              ("photograph", 10), ("testimony", 8), ("web_article", 5), ("book_extract", 5),
              ("physical_object", 3), ("other", 2))
DATE_KINDS = (("day", 40), ("month", 20), ("year", 10), ("approximate", 8), ("uncertain", 7),
              ("interval", 7), ("decade", 3), ("one_of", 3), ("open_start", 2))
MARKERS = {"qxone": lambda k: 1, "qxten": lambda k: 10, "qxhundred": lambda k: 100,
           "qxthousand": lambda k: 1000, "qxtenth": lambda k: k // 10, "qxhalf": lambda k: k // 2}
#: Authorities every catalogue has, with variants across scripts (search checks use them).
FIXED_AUTHORITIES = (
    ("place", "Mazar-i-Sharif", [("Mozari Sharif", "en", "Latn"), ("مزار شریف", "prs", "Arab"),
                                 ("Мазари-Шариф", "ru", "Cyrl")]),
    ("person", "Hekmatyar, Gulbuddin", [("Gulbuddin Hekmatyar", "en", "Latn"),
                                        ("گلبدین حکمتیار", "prs", "Arab"),
                                        ("Гульбеддин Хекматияр", "ru", "Cyrl")]),
    ("place", "Stepanakert", [("Ստեփանակերտ", "hy", "Armn"), ("Степанакерт", "ru", "Cyrl"),
                              ("Khankendi", "az", "Latn")]),
    ("organisation", "Hezb-e Islami", [("حزب اسلامی", "prs", "Arab"), ("Хезб-е Ислами", "ru", "Cyrl")]),
)
TAGS = ("mercenaries", "recruitment", "propaganda", "casualties", "logistics", "prisoners",
        "diplomacy", "press", "testimony-verified", "needs-translation", "наёмники", "վկայություն",
        "مزدوران", "اسیران")
_SYLLABLES = {
    "Latn": ("ba be bi bo ka ke ki ko ma me mi mo na ne ni no ra re ri ro sa se si so ta te ti to"
             " va ve vi dor lan mer tis val gar hen jul kor pra str ché lé mü ñá ço".split()),
    "Cyrl": ("ба бе би бо ва ве ви во да де ди до ка ке ки ко ла ле ли ло ма ме ми мо на не ни но"
             " ра ре ри ро са се си со та те ти то ёж мёд лёт ой ий ей щи жу шу ча".split()),
    "Armn": ("բա բե բի բո գա գե դա դի կա կե կի կո մա մե մի մո նա նե նի նո րա րե րի ռո սա սե"
             " տա տե տի վա վե հա հո ու յան եւ և ան ին".split()),
    "Arab": ("با بی پا تا تو جا چا خا دا دو را رو زا سا شا شی فا قا کا کو گا لا لو ما مو نا نو"
             " وا ها هی یا ي ك ة".split()),
}


def _zipf_cum(size: int, s: float = 1.07) -> list[float]:
    total, out = 0.0, []
    for r in range(1, size + 1):
        total += 1.0 / r ** s
        out.append(total)
    return out


def _vocabulary(rng: random.Random, script: str, size: int) -> list[str]:
    syl = _SYLLABLES[script]
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        w = "".join(rng.choice(syl) for _ in range(rng.randint(1, 4)))
        if script == "Arab":
            if rng.random() < 0.08:
                w = "می" + ZWNJ + w  # Dari/Persian verb prefix joined by a zero-width non-joiner
            if rng.random() < 0.06:
                w = w[0] + rng.choice(HARAKAT) + w[1:]
        if len(w) < 3 or w in seen:
            continue
        seen.add(w)
        words.append(w)
        decomposed = unicodedata.normalize("NFD", w)
        if decomposed != w and rng.random() < 0.3:
            words.append(decomposed)  # the same word in NFD, a trap for the index
    return words[:size]


def _perm_member(i: int, count: int, k: int, mult: int) -> bool:
    """Whether item ``i`` of ``count`` is among exactly ``k`` chosen by a fixed permutation."""
    return (i * mult + 7) % count < k


class Synth:
    """One synthetic catalogue's content, generated on demand.

    Args:
        n: number of records (all levels together).
        seed: the random seed.
    """

    def __init__(self, n: int, seed: int = SEED):
        if n < 20:
            raise ValueError("a synthetic catalogue needs at least 20 records")
        self.n, self.seed = n, seed
        rng = self.rng = random.Random(seed)
        self.vocab = {s: _vocabulary(rng, s, 4000) for s in _SYLLABLES}
        self.cum = {s: _zipf_cum(len(v)) for s, v in self.vocab.items()}
        self.lang_cum = _cum([w for _, _, w in LANGS])
        self.type_cum = _cum([w for _, w in ITEM_TYPES])
        self.date_cum = _cum([w for _, w in DATE_KINDS])
        self._plan()
        self.authority_list = self._authorities()
        self.auth_cum = _zipf_cum(len(self.authority_list), 1.0)
        self.manifest: dict = {}

    # -- planning ------------------------------------------------------------------------------
    def _plan(self) -> None:
        rng, n = self.rng, self.n
        n_fonds = max(2, n // 40_000)
        series = [rng.randint(4, 12) for _ in range(n_fonds)]
        while n_fonds + sum(series) > n // 4:
            series = [max(1, s // 2) for s in series]
        remaining = n - n_fonds - sum(series)
        files: list[int] = []
        while remaining > 0:
            k = min(rng.randint(4, 40), remaining - 1)
            files.append(k)
            remaining -= 1 + k
        total_series = sum(series)
        by_series: list[list[int]] = [[] for _ in range(total_series)]
        for k in files:
            by_series[rng.randrange(total_series)].append(k)
        self.plan_fonds, self.plan_series = series, by_series
        self.n_items = sum(files)
        self.mults = {}
        mult = 1_000_003
        for marker in MARKERS:
            mult += 2 * len(marker)
            while math.gcd(mult, max(1, self.n_items)) != 1:
                mult += 2
            self.mults[marker] = mult
        self.markers = {m: min(fn(self.n_items), self.n_items) for m, fn in MARKERS.items()}

    def _authorities(self) -> list[dict]:
        rng = self.rng
        out = []
        for kind, name, variants in FIXED_AUTHORITIES:
            out.append(self._authority(kind, name, [{"name": v, "language": lang, "script": s}
                                                    for v, lang, s in variants]))
        count = max(60, self.n // 40)
        kinds = ("person",) * 12 + ("organisation",) * 4 + ("place",) * 3 + ("family",)
        for _ in range(count):
            kind = rng.choice(kinds)
            lang, script = self._lang()
            name = " ".join(self._words(script, 2)).title()
            if kind == "person":
                name = f"{self._words('Latn', 1)[0].title()}, {name}"
            variants = []
            for other in rng.sample(("Latn", "Cyrl", "Armn", "Arab"), rng.randint(1, 3)):
                variants.append({"name": " ".join(self._words(other, 2)),
                                 "language": {"Latn": "en", "Cyrl": "ru", "Armn": "hy",
                                              "Arab": "prs"}[other], "script": other})
            dates = f"{rng.randint(1920, 1975)}/{rng.choice(['..', str(rng.randint(1990, 2020))])}"
            out.append(self._authority(kind, name, variants, dates if kind == "person" else None))
        return out

    def _authority(self, kind, name, variants, dates=None) -> dict:
        return {"uuid": self._uuid(), "kind": kind, "name": name, "variants": variants,
                "dates": dates, "description": None, "identifiers": []}

    # -- small helpers -------------------------------------------------------------------------
    def _uuid(self) -> str:
        return str(uuidlib.UUID(int=self.rng.getrandbits(128), version=4))

    def _lang(self) -> tuple[str, str]:
        lang, script, _ = LANGS[_pick(self.rng, self.lang_cum)]
        return lang, script

    def _words(self, script: str, k: int) -> list[str]:
        return self.rng.choices(self.vocab[script], cum_weights=self.cum[script], k=k)

    def _date(self) -> str:
        rng = self.rng
        kind = DATE_KINDS[_pick(rng, self.date_cum)][0]
        y = min(2005, max(1979, int(rng.gauss(1993, 5))))
        if kind == "day":
            return f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        if kind == "month":
            return f"{y}-{rng.randint(1, 12):02d}"
        if kind == "year":
            return str(y)
        if kind == "approximate":
            return f"{y}~"
        if kind == "uncertain":
            return f"{y}?"
        if kind == "interval":
            return f"{y}/{y + rng.randint(1, 3)}"
        if kind == "decade":
            return f"{str(y)[:3]}X"
        if kind == "one_of":
            return f"[{y},{y + 2}]"
        return f"../{y}"

    # -- records -------------------------------------------------------------------------------
    def records(self) -> Iterator[dict]:
        """The records, parents before children; fills :attr:`manifest` when exhausted."""
        rng = self.rng
        counts = {"levels": {}, "types": {}, "languages": {}, "dates": 0, "links": 0, "tags": 0,
                  "relations": 0, "restricted": 0, "date_kinds_seen": set()}
        item_index = 0
        series_iter = iter(self.plan_series)

        def bump(key, value):
            counts[key][value] = counts[key].get(value, 0) + 1

        for fi, n_series in enumerate(self.plan_fonds):
            fonds_uuid = self._uuid()
            bump("levels", "fonds")
            yield {"uuid": fonds_uuid, "parent": None, "level": "fonds", "identifier": f"F{fi + 1}",
                   "title": f"Fonds {fi + 1}: " + " ".join(self._words("Latn", 4)),
                   "dates": [{"expression": "1979/2005", "label": "accumulation"}],
                   "fields": {"scope_content": " ".join(self._words("Latn", 30))}}
            counts["dates"] += 1
            for si in range(n_series):
                files = next(series_iter)
                series_uuid = self._uuid()
                bump("levels", "series")
                yield {"uuid": series_uuid, "parent": fonds_uuid, "level": "series",
                       "identifier": f"S{si + 1}", "title": " ".join(self._words("Latn", 3)).title(),
                       "dates": ["1985/1999"]}
                counts["dates"] += 1
                for fno, k in enumerate(files):
                    file_uuid = self._uuid()
                    bump("levels", "file")
                    lang, script = self._lang()
                    yield {"uuid": file_uuid, "parent": series_uuid, "level": "file",
                           "identifier": str(fno + 1), "title": " ".join(self._words(script, 4)),
                           "dates": ["1990/1996"], "fields": {"languages": [lang]}}
                    counts["dates"] += 1
                    previous = None
                    for ino in range(k):
                        rec = self._item(file_uuid, ino, item_index, previous, counts)
                        previous = rec["uuid"]
                        item_index += 1
                        bump("levels", "item")
                        yield rec
        counts["date_kinds_seen"] = sorted(counts["date_kinds_seen"])
        self.manifest = {"generator_version": GENERATOR_VERSION, "seed": self.seed, "n": self.n,
                         "records": sum(counts["levels"].values()), "items": self.n_items,
                         "authorities": len(self.authority_list),
                         "authority_names": sum(len(a["variants"]) for a in self.authority_list),
                         "markers": self.markers, **counts}

    def _item(self, parent: str, ino: int, index: int, previous: str | None, counts: dict) -> dict:
        rng = self.rng
        rtype = ITEM_TYPES[_pick(rng, self.type_cum)][0]
        lang, script = self._lang()
        counts["types"][rtype] = counts["types"].get(rtype, 0) + 1
        counts["languages"][lang] = counts["languages"].get(lang, 0) + 1
        title = self._words(script, rng.randint(3, 8))
        scope = self._words(script, rng.randint(10, 40))
        if rng.random() < 0.3:
            scope += self._words("Latn", 5)
        for marker, k in self.markers.items():
            if _perm_member(index, self.n_items, k, self.mults[marker]):
                scope.insert(rng.randrange(len(scope) + 1), marker)
        fields = {"scope_content": " ".join(scope), "languages": [lang], "scripts": [script],
                  "extent_medium": f"{rng.randint(1, 12)} sheets",
                  "location_box": f"Box {index // 200 + 1}"}
        if rtype == "web_article":
            fields["url"] = f"https://example.org/a/{index}"
        dates = [self._date()]
        if rng.random() < 0.1:
            dates.append({"expression": self._date(), "label": "publication"})
        for d in dates:
            counts["date_kinds_seen"].add(_date_kind(d if isinstance(d, str) else d["expression"]))
        counts["dates"] += len(dates)
        links = []
        for _ in range(rng.choices((0, 1, 2, 3), (15, 40, 30, 15))[0]):
            a = self.authority_list[_pick(rng, self.auth_cum)]
            role = {"person": rng.choice(("sender", "recipient", "mentioned", "author")),
                    "organisation": rng.choice(("creator", "mentioned")), "family": "subject",
                    "place": rng.choice(("place_of_creation", "place_mentioned"))}[a["kind"]]
            if not any(x["authority"] == a["uuid"] and x["role"] == role for x in links):
                links.append({"authority": a["uuid"], "role": role})
        counts["links"] += len(links)
        tags = []
        if rng.random() < 0.15:
            tags = rng.sample(TAGS, rng.randint(1, 2))
            counts["tags"] += len(tags)
        rec = {"uuid": self._uuid(), "parent": parent, "level": "item", "identifier": str(ino + 1),
               "title": " ".join(title), "type": rtype, "dates": dates, "fields": fields,
               "links": links, "tags": tags}
        if previous and rng.random() < 0.01:
            rec["relations"] = [{"type": "responds_to", "target": previous}]
            counts["relations"] += 1
        if rng.random() < 0.03:
            rec["access"] = {"status": "restricted", "reason": "personal data", "until": "2040"}
            counts["restricted"] += 1
        return rec


def _cum(weights) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, cum: list[float]) -> int:
    import bisect
    return bisect.bisect(cum, rng.random() * cum[-1])


def _date_kind(expr: str) -> str:
    if expr.startswith("../"):
        return "open_start"
    if expr.startswith("["):
        return "one_of"
    if expr.endswith("X"):
        return "decade"
    if "/" in expr:
        return "interval"
    if expr.endswith("~"):
        return "approximate"
    if expr.endswith("?"):
        return "uncertain"
    return {4: "year", 7: "month", 10: "day"}[len(expr)]


class TimedIter:
    """Wraps an iterator and adds up the time spent producing its items (to leave it out)."""

    def __init__(self, it):
        self.it, self.seconds = iter(it), 0.0

    def __iter__(self):
        return self

    def __next__(self):
        t = time.perf_counter()
        try:
            return next(self.it)
        finally:
            self.seconds += time.perf_counter() - t


def build_catalogue(path: Path, n: int, seed: int = SEED, *, progress=None) -> dict:
    """Create a catalogue at ``path`` with ``n`` synthetic records through the bulk path.

    Returns:
        The manifest, with ``import_seconds`` (bulk import alone) and ``generate_seconds``.
    """
    synth = Synth(n, seed)
    with create_catalogue(path, user="synth") as cat:
        records = TimedIter(synth.records())
        result = bulk_import(cat, records, synth.authority_list, batch_size=10_000,
                             progress=progress, total=n)
    manifest = dict(synth.manifest)
    manifest.update(generate_seconds=records.seconds, import_seconds=result.seconds - records.seconds,
                    indexed=result.indexed)
    return manifest


def cache_key(n: int, seed: int = SEED) -> str:
    """The folder name of a cached catalogue."""
    return f"cat-{n}-s{seed}-v{GENERATOR_VERSION}"


def ensure_catalogue(n: int, seed: int = SEED, data_dir: Path = DATA_DIR) -> tuple[Path, dict]:
    """The cached catalogue of ``n`` records (built first if needed) and its manifest.

    Safe to call from several processes at once: one builds, the others wait.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    folder = data_dir / cache_key(n, seed)
    lock_path = data_dir / f"{cache_key(n, seed)}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest_path = folder / "manifest.json"
        if not manifest_path.exists():
            tmp = data_dir / f"{cache_key(n, seed)}.building"
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir()
            manifest = build_catalogue(tmp / "catalogue.archivist", n, seed)
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
            shutil.rmtree(folder, ignore_errors=True)
            tmp.rename(folder)
        _bring_up_to_date(folder / "catalogue.archivist")
        manifest = json.loads(manifest_path.read_text())
    return folder / "catalogue.archivist", manifest


def _bring_up_to_date(path: Path) -> None:
    """Apply the migrations written since the cached catalogue was built, once, here.

    Otherwise the first case to open it would pay for them (and time them), and every case
    that copies it would copy the migration's backup too, which a cache does not need.
    """
    from archivist.store import migrations
    from archivist.store.catalogue import open_catalogue

    conn = sqlite3.connect(f"file:{path / 'catalogue.sqlite'}?mode=ro", uri=True)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    if version < migrations.all_migrations()[-1].VERSION:
        open_catalogue(path, user="synth").close()
    for backup in path.glob("catalogue.backup-*"):
        backup.unlink()


if __name__ == "__main__":
    from tests.benchmarks.harness import scale_to_n
    size = scale_to_n(sys.argv[1] if len(sys.argv) > 1 else "10k")
    t0 = time.perf_counter()
    where, info = ensure_catalogue(size)
    print(f"{where}: {info['records']} records, generated in {info['generate_seconds']:.1f} s,"
          f" imported in {info['import_seconds']:.1f} s ({time.perf_counter() - t0:.1f} s in all)")
