"""The toolkit's speed and memory side by side with pandoc, measured on this machine in one run; and
`draft serve` under load, against its own targets.

    .venv/bin/python benchmarks/bench.py            # the full run (about nine minutes)
    .venv/bin/python benchmarks/bench.py --quick    # a short run, for a first look

Every figure is taken from whole processes, as a drafter runs them: `draft build` against `pandoc`
converting the very Markdown the toolkit generated, `draft check` against that build, `draft --help`
against importing Typer alone, the PDF and the filled contents against LibreOffice converting the same
.docx; and two `draft serve` workers on 127.0.0.1 answering HTTP requests, as a browser sends them. The
growth of a batch is read inside one process: the time of each document, as it is finished.
Times are medians of several runs, the commands taking turns. The answers files of the batch are
variants of examples/ written to a temporary folder, where the toolkit's cache (DRAFT_CACHE_DIR) and
compiled bytecode are kept too; nothing is written into the repository or the user's cache folder.
This is a measurement, not a test: it prints figures and says which targets they meet.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SINGLE = ROOT / "examples" / "comprehensive-unit.yaml"
LANGS = ("en", "fr", "es")
FORMATS = ("md", "docx")
# Places of the batch's imaginary jurisdictions: each example is rewritten for each of them.
PLACES = ["Eastmarch", "Lorvania", "Kestria", "Maravel", "Ostrava Minor", "Pellandor", "Quintara", "Rivenna",
          "Solmere", "Tarvik"]
# Answers varied between variants, each within its question's bounds: (key, first value, cycle length).
VARIED = [("care_plan_weeks", 2, 10), ("placement_review_months", 1, 12), ("admission_decision_days", 5, 40)]


@dataclass(frozen=True)
class Plan:
    """How much to measure: the full run, or a short one for a first look."""

    files: int                    # answers files of the batch
    steps: tuple[int, int, int]   # three batch sizes (answers files) whose times show how time grows
    runs: int                     # runs of each single-document command
    batch_runs: int               # runs of each batch command
    startup_runs: int
    memory_runs: int
    judges_growth: bool           # whether the batches are large enough for the growth to be judged
    previews: int                 # preview updates timed
    download_rounds: int          # rounds of 20 simultaneous downloads
    office_runs: int              # runs of each command that starts LibreOffice


FULL = Plan(files=30, steps=(10, 20, 30), runs=7, batch_runs=5, startup_runs=21, memory_runs=3,
            judges_growth=True, previews=200, download_rounds=5, office_runs=5)
QUICK = Plan(files=3, steps=(1, 2, 3), runs=3, batch_runs=3, startup_runs=7, memory_runs=1,
             judges_growth=False, previews=40, download_rounds=1, office_runs=1)


@dataclass(frozen=True)
class Row:
    measure: str
    toolkit: str
    baseline: str
    ratio: float
    target: tuple[str, float] | None   # ("<=", 1.5) or (">=", 3); None: shown for information

    value: float | None = None          # a measure with a target of its own: the target bounds this, not a ratio
    unit: str = "×"
    goal: str = ""                      # the target in words, where its bound is not a figure to show

    def met(self) -> str:
        if self.target is None:
            return "—"
        op, limit = self.target
        measured = self.ratio if self.value is None else self.value
        return "yes" if (measured <= limit if op == "<=" else measured >= limit) else "no"

    def cells(self) -> list[str]:
        sign = "" if self.target is None else "≤" if self.target[0] == "<=" else "≥"
        target = "—" if self.target is None else self.goal or f"{sign} {self.target[1]:g}{self.unit}"
        ratio = "—" if self.value is not None else f"{self.ratio:.2f}×"
        return [self.measure, self.toolkit, self.baseline, ratio, target, self.met()]


# -- running commands ---------------------------------------------------------------------------------

def draft() -> list[str]:
    """The `draft` console script of this interpreter's environment, as a user runs it."""
    script = Path(sys.executable).with_name("draft")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "toolkit.cli"]


# Exit codes that are not failures: `draft check` exits 1 when something falls short, as it does for the example.
_SUCCEEDS = {"check": (0, 1)}


def run(command: list[str]) -> None:
    """Run a command to completion; a failure stops the benchmark with the command's own message."""
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    allowed = next((codes for word, codes in _SUCCEEDS.items() if word in command[1:3]), (0,))
    if result.returncode not in allowed:
        sys.exit(f"bench: {' '.join(command[:4])} … failed ({result.returncode}):\n"
                 f"{result.stderr.decode(errors='replace')[-2000:]}")


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    run(command)
    return time.perf_counter() - start


def timings(commands: list[list[str]], runs: int) -> list[list[float]]:
    """The wall times of `runs` runs of each command. The commands take turns, so that a slow spell of
    the machine falls on all of them alike; a first untimed round fills the disk cache."""
    for command in commands:
        run(command)
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for index, command in enumerate(commands):
            times[index].append(seconds(command))
    return times


def medians(commands: list[list[str]], runs: int) -> list[float]:
    return [statistics.median(t) for t in timings(commands, runs)]


_PEAK = ("import resource, subprocess, sys; "
         "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
         "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def peak_kib(command: list[str], runs: int) -> float:
    """Median peak resident memory of a command, in KiB. Each measurement runs in a fresh helper
    process: RUSAGE_CHILDREN reports the largest child a process ever waited for, so a helper that
    runs one command reports that command alone."""
    values = [int(subprocess.run([sys.executable, "-c", _PEAK, *command], check=True, capture_output=True,
                                 text=True, cwd=ROOT).stdout) for _ in range(runs)]
    return statistics.median(values)


def pandoc(markdown: Path, fmt: str, target: Path) -> list[str]:
    """pandoc writing one document from the toolkit's Markdown: Word for .docx, Markdown for .md."""
    return ["pandoc", "-f", "markdown", "-t", "docx" if fmt == "docx" else "markdown", "-o", str(target),
            str(markdown)]


def build(files: list[Path], langs: list[str], formats: tuple[str, ...], out: Path, jobs: int = 1,
          layout: bool = False) -> list[str]:
    """The toolkit's own writing, against pandoc's: like pandoc, without LibreOffice's page layout, whose
    cost is measured against soffice itself."""
    return [*draft(), "build", *map(str, files), "--lang", ",".join(langs), "--format", ",".join(formats),
            "--out", str(out), "--force", "--jobs", str(jobs), "--layout" if layout else "--no-layout"]


# -- inputs -------------------------------------------------------------------------------------------

def variants(folder: Path, count: int) -> list[Path]:
    """`count` answers files: each example rewritten for another place, with a few answers varied."""
    paths = []
    for index in range(count):
        example = EXAMPLES[index % len(EXAMPLES)]
        text = example.read_text(encoding="utf-8")
        # the jurisdiction's last word, given once or in each language (the first one's)
        found = re.search(r"^jurisdiction:(?: .*?(\w+)|\n +\w+: .*?(\w+))$", text, flags=re.M)
        home = found.group(1) or found.group(2)
        place = PLACES[index // len(EXAMPLES) % len(PLACES)]
        text = text.replace(home, place)
        for key, first, cycle in VARIED:
            text = re.sub(rf"^{key}: .*$", f"{key}: {first + index % cycle}", text, flags=re.M)
        path = folder / f"{index + 1:02d}-{place.lower().replace(' ', '-')}-{example.stem}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def languages(probe: Path, out: Path) -> list[str]:
    """English, French and Spanish where this checkout builds them. A catalog still being written may
    be missing or refused; the benchmark then runs on the languages there are."""
    from toolkit import i18n

    known = i18n.languages()
    usable = [lang for lang in LANGS if lang in known and subprocess.run(
        build([probe], [lang], ("md",), out), capture_output=True, cwd=ROOT).returncode == 0]
    for lang in sorted(set(LANGS) - set(usable)):
        print(f"bench: no {lang} build in this checkout; measuring without it", file=sys.stderr)
    return usable


# -- the measures -------------------------------------------------------------------------------------

def single_commands(work: Path) -> tuple[list[str], list[str]]:
    """One example built to .docx in English, and pandoc making .docx from that example's Markdown."""
    run(build([SINGLE], ["en"], ("md",), work))
    return build([SINGLE], ["en"], ("docx",), work), pandoc(work / f"{SINGLE.stem}.en.md", "docx", work / "pandoc.docx")


def single(work: Path, plan: Plan) -> list[Row]:
    """The single build against pandoc; `draft check` against that build; the build without the cache,
    for information (what the cache saves a build whose data files changed)."""
    toolkit, baseline = single_commands(work)
    check = [*draft(), "check", str(SINGLE)]
    env = os.environ.copy()
    try:
        built, pandoc_time, checked = medians([toolkit, baseline, check], plan.runs)
        os.environ["DRAFT_CACHE_DIR"] = ""
        uncached = medians([toolkit], plan.runs)[0]
    finally:
        os.environ.clear()
        os.environ.update(env)
    return [Row("1. single build: one example → .docx, English (s)", f"{built:.3f}", f"{pandoc_time:.3f}",
                built / pandoc_time, ("<=", 0.8)),
            Row("1. the single build without the cache (DRAFT_CACHE_DIR empty) (s)", f"{uncached:.3f}",
                f"{pandoc_time:.3f}", uncached / pandoc_time, None),
            Row("2. draft check of that example vs the single build (s)", f"{checked:.3f}", f"{built:.3f}",
                checked / built, ("<=", 0.5))]


def memory(work: Path, plan: Plan) -> list[Row]:
    toolkit, baseline = (peak_kib(command, plan.memory_runs) for command in single_commands(work))
    return [Row("5. peak memory of the single build (MiB)", f"{toolkit / 1024:.0f}", f"{baseline / 1024:.0f}",
                toolkit / baseline, ("<=", 0.5))]


# One batch inside one process, through the API as `draft build` runs it: the time of each answers file
# in each language (its documents, in every format) as it is finished, printed as seconds, one a line.
_TIMED_BATCH = """
import gc, sys, time
from pathlib import Path
from toolkit import api
files, langs, formats, out = sys.argv[1].split(","), sys.argv[2].split(","), sys.argv[3].split(","), sys.argv[4]
options = api.BuildOptions(langs=tuple(langs), formats=tuple(formats), layout=False)
api.preload(options)
gc.freeze()
stamps = []
api.build([Path(f) for f in files], Path(out), options, force=True,
          progress=lambda _target: stamps.append(time.perf_counter()))
ends = stamps[len(formats) - 1::len(formats)]   # when each file in each language had all its formats
print("\\n".join(str(b - a) for a, b in zip(ends, ends[1:])))
"""


def trend(times: list[float]) -> tuple[float, float]:
    """The least-squares slope of `times` over their order, and its standard error."""
    n = len(times)
    xs = range(n)
    mean_x, mean_y = (n - 1) / 2, statistics.fmean(times)
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, times, strict=True)) / sxx
    residual = sum((y - mean_y - slope * (x - mean_x)) ** 2 for x, y in zip(xs, times, strict=True))
    return slope, (residual / (n - 2) / sxx) ** 0.5 if n > 2 else float("inf")


def batch(work: Path, plan: Plan, langs: list[str]) -> list[Row]:
    """The batch in one process against pandoc once per document, the same batch with a worker process
    per CPU, and how the time grows: per document inside one process, and between whole processes."""
    files = variants(work, plan.files)
    out = work / "out"
    per_file = len(langs) * len(FORMATS)
    # The three sizes take turns, one round after another. The whole-process growth compares differences
    # of times, which magnify the machine's noise, so each round's cost per added document is taken from
    # its own three runs, close in time, and the median over the rounds is shown.
    runs = dict(zip(plan.steps, timings([build(files[:step], langs, FORMATS, out) for step in plan.steps],
                                        plan.batch_runs), strict=True))
    documents = plan.files * per_file
    toolkit = documents / statistics.median(runs[plan.files])
    baseline = documents / sum(seconds(pandoc(out / f"{f.stem}.{lang}.md", fmt, work / f"pandoc.{fmt}"))
                               for f in files for lang in langs for fmt in FORMATS)
    rows = [Row(f"3. batch: {plan.files} files × {len(langs)} languages × {len(FORMATS)} formats, one process "
                "(documents/s)", f"{toolkit:.2f}", f"{baseline:.2f}", toolkit / baseline, (">=", 10))]
    jobs = cpus()
    if jobs > 1:
        parallel = documents / medians([build(files, langs, FORMATS, out, jobs)], plan.batch_runs)[0]
        rows.append(Row(f"3. the batch with --jobs {jobs} (documents/s; pandoc one at a time)", f"{parallel:.2f}",
                        f"{baseline:.2f}", parallel / baseline, (">=", 15) if jobs == 2 else None))
    # Growth inside one process: the time of each document over the batch, its trend fitted by least
    # squares (the first answers file in the first language, which fills the process's own caches, aside).
    command = [sys.executable, "-c", _TIMED_BATCH, ",".join(map(str, files)), ",".join(langs), ",".join(FORMATS),
               str(out)]
    run(command)
    per_document = [float(t) / len(FORMATS) for t in subprocess.run(
        command, capture_output=True, text=True, check=True, cwd=ROOT).stdout.split()]
    slope, error = trend(per_document)
    typical = statistics.median(per_document)
    drift = slope * (len(per_document) - 1) * len(FORMATS)
    flat = slope <= 2 * error or drift <= 0.05 * typical
    rows.append(Row(f"4. growth inside one process: trend of the time per document over {documents} documents "
                    f"(ms per 100 documents ± its standard error; median {typical * 1000:.1f} ms a document)"
                    + ("" if plan.judges_growth else " (too few documents to judge: full run only)"),
                    f"{slope * 100 / len(FORMATS) * 1000:+.2f} ± {error * 100 / len(FORMATS) * 1000:.2f}", "—",
                    0, ("<=", 0) if plan.judges_growth else None, 0 if flat else 1,
                    goal="no upward trend"))
    a, b, c = (step * per_file for step in plan.steps)
    rounds = list(zip(*(runs[step] for step in plan.steps), strict=True))
    first = statistics.median((tb - ta) / (b - a) for ta, tb, _ in rounds)
    last = statistics.median((tc - tb) / (c - b) for _, tb, tc in rounds)
    rows.append(Row(f"4. whole-process growth, for information: ms per added document, {b}→{c} vs {a}→{b} documents",
                    f"{last * 1000:.0f}", f"{first * 1000:.0f}", last / first, None))
    return rows


def startup(plan: Plan) -> list[Row]:
    """`draft --help` against the import of Typer alone, the least a Typer command can cost."""
    toolkit, baseline = medians([[*draft(), "--help"], [sys.executable, "-c", "import typer"]], plan.startup_runs)
    return [Row("5. start-up: draft --help vs python -c 'import typer' (s)", f"{toolkit:.3f}", f"{baseline:.3f}",
                toolkit / baseline, ("<=", 1.2))]


def office(work: Path, plan: Plan) -> list[Row]:
    """The PDF, and the .docx whose contents LibreOffice's layout fills with page numbers, against a bare
    `soffice --headless --convert-to pdf` of that same .docx (each command starts its own soffice)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        print("bench: LibreOffice (soffice) is not installed; the PDF is not measured", file=sys.stderr)
        return []
    folder = work / "office"
    run(build([SINGLE], ["en"], ("docx",), folder, layout=True))
    docx = folder / f"{SINGLE.stem}.en.docx"
    converted = work / "soffice"
    bare = [soffice, "--headless", f"-env:UserInstallation=file://{work / 'soffice-profile'}", "--convert-to", "pdf",
            "--outdir", str(converted), str(docx)]
    pdf, filled, baseline = medians([build([SINGLE], ["en"], ("pdf",), folder, layout=True),
                                     build([SINGLE], ["en"], ("docx",), work / "filled", layout=True), bare],
                                    plan.office_runs)
    return [Row("6. --format pdf vs soffice --convert-to pdf of the same .docx (s)", f"{pdf:.2f}", f"{baseline:.2f}",
                pdf / baseline, ("<=", 1.2)),
            Row("6. .docx with its contents' page numbers filled (--layout) vs that soffice (s)", f"{filled:.2f}",
                f"{baseline:.2f}", filled / baseline, ("<=", 1.2))]


# -- draft serve --------------------------------------------------------------------------------------

USERS = 20


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


class Browser:
    """One official's browser: its own cookie (the server's token), the answers as its form sends them."""

    def __init__(self, address: str):
        self.address = address
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        with self.opener.open(address, timeout=60) as response:
            response.read()
        self.token = next(c.value for c in self.jar if c.name == "draft_csrf")

    def post(self, path: str, pairs: list[tuple[str, str]]) -> tuple[int, bytes]:
        body = urllib.parse.urlencode([("_csrf", self.token), *pairs]).encode("ascii")
        try:
            with self.opener.open(self.address + path.lstrip("/"), data=body, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()


def form_fields(example: Path) -> list[tuple[str, str]]:
    """An answers file as the page's form sends it: one field per answer, several for check boxes."""
    import yaml

    from toolkit import api
    from toolkit.web import form

    pairs = []
    for key, value in yaml.safe_load(example.read_text(encoding="utf-8")).items():
        encoded = form.encode(api.questionnaire().by_key[key], value)
        pairs += [(key, "")] + [(key, v) for v in encoded] if isinstance(encoded, list) else [(key, encoded)]
    return pairs


def start_servers(count: int) -> tuple[list[subprocess.Popen], list[str]]:
    """`count` workers of `draft serve`, sharing one secret as behind a reverse proxy."""
    env = dict(os.environ, DRAFT_SECRET="benchmark")
    processes = [subprocess.Popen([*draft(), "serve", "--port", "0"], stdout=subprocess.PIPE, text=True, env=env,
                                  cwd=ROOT) for _ in range(count)]
    addresses = []
    for process in processes:
        line = process.stdout.readline()
        found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        if not found:
            sys.exit(f"bench: draft serve did not start: {line!r}")
        addresses.append(found.group(1))
    return processes, addresses


def resident_mib(pid: int, field: str = "VmHWM") -> float:
    """A process's peak (VmHWM) or current (VmRSS) resident memory, from /proc."""
    return int(_proc(f"{pid}/status", rf"^{field}:\s*(\d+) kB")) / 1024


def served(plan: Plan) -> list[Row]:
    """Two workers: the preview after each change of an answer, twenty officials downloading a Word
    file at the same moment, and the memory the two workers hold."""
    processes, addresses = start_servers(2)
    try:
        fields = form_fields(SINGLE)
        official = Browser(addresses[0])
        times = []
        for index in range(plan.previews):
            changed = [(k, str(12 + index % 48) if k == "max_age_months" else v) for k, v in fields]
            start = time.perf_counter()
            status, _body = official.post("/preview", changed)
            times.append(time.perf_counter() - start)
            if status != 200:
                sys.exit(f"bench: the preview answered {status}")
        download = [*fields, ("_fmt", "docx"), ("_doc_lang", "fr")]
        latencies, errors = [], 0
        for _round in range(plan.download_rounds):
            officials = [Browser(addresses[n % len(addresses)]) for n in range(USERS)]
            ready = threading.Barrier(USERS)

            def fetch(browser: Browser, ready: threading.Barrier = ready) -> tuple[float, bool]:
                ready.wait()
                start = time.perf_counter()
                status, body = browser.post("/download", download)
                return time.perf_counter() - start, status == 200 and body[:2] == b"PK"

            with ThreadPoolExecutor(USERS) as pool:
                for seconds_taken, ok in pool.map(fetch, officials):
                    latencies.append(seconds_taken)
                    errors += not ok
        memory = sum(resident_mib(p.pid) for p in processes)
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)
    return [Row(f"6. serve: preview after an answer changes, p95 of {plan.previews} (ms)",
                f"{p95(times) * 1000:.0f}", "—", 0, ("<=", 150), p95(times) * 1000, " ms"),
            Row(f"6. serve: {USERS} officials download a .docx at once, p95 of {len(latencies)} (s); errors: {errors}",
                f"{p95(latencies):.2f}", "—", 0, ("<=", 2), p95(latencies) if errors == 0 else float("inf"), " s"),
            Row("6. serve: peak memory of two workers after that load (MiB)", f"{memory:.0f}", "—", 0, ("<=", 200),
                memory, " MiB")]


# -- report -------------------------------------------------------------------------------------------

def cpus() -> int:
    """The CPUs this process may use (what `nproc` prints)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _proc(name: str, pattern: str) -> str | None:
    """A value from /proc/NAME (Linux), or None elsewhere."""
    path = Path("/proc") / name
    found = re.search(pattern, path.read_text(encoding="utf-8"), flags=re.M) if path.exists() else None
    return found.group(1) if found else None


def machine() -> str:
    """What the figures were measured on."""
    model = _proc("cpuinfo", r"^model name\s*:\s*(.+)$") or platform.processor() or "CPU model unknown"
    kib = _proc("meminfo", r"^MemTotal:\s*(\d+) kB")
    memory = f"{int(kib) / 1024 ** 2:.1f} GiB memory" if kib else "memory unknown"
    version = subprocess.run(["pandoc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return (f"{cpus()} CPUs ({model}), {memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; {version}")


def table(rows: list[Row]) -> str:
    head = ["measure", "toolkit", "pandoc / baseline", "ratio", "target", "met?"]
    lines = [head, ["---"] * len(head)] + [row.cells() for row in rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run: fewer files and repetitions")
    plan = QUICK if parser.parse_args().quick else FULL
    if shutil.which("pandoc") is None:
        print("bench: pandoc is not installed (apt-get install pandoc); it is the baseline", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="draft-bench-") as temp:
        work = Path(temp)
        # The toolkit runs with its compiled bytecode cached, as an installed program does, even where
        # the environment forbids writing it (PYTHONDONTWRITEBYTECODE); the cache stays in the temporary
        # folder, and the untimed first round of each measure fills it.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(work / "bytecode")
        os.environ["DRAFT_CACHE_DIR"] = str(work / "cache")
        langs = languages(SINGLE, work / "probe")
        print(f"machine: {machine()}\nlanguages: {', '.join(langs)}\n", flush=True)
        rows = []
        for name, measure in (("single build", lambda: single(work, plan)),
                              ("batch", lambda: batch(work, plan, langs)), ("start-up", lambda: startup(plan)),
                              ("peak memory", lambda: memory(work, plan)), ("LibreOffice", lambda: office(work, plan)),
                              ("draft serve", lambda: served(plan))):
            print(f"bench: measuring {name} …", file=sys.stderr, flush=True)
            rows += measure()
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
