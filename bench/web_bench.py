"""Latency of the main web pages under concurrent clients on loopback.

Run: .venv/bin/python bench/web_bench.py [--clients 20] [--duration 20] [--channels 50]
     [--goals 200] [--threads 8] [--database-url postgres://postgres@127.0.0.1:5432/test]

What it does, from nothing:

1. makes a fresh data folder in a temporary directory (SQLite there by default; with
   ``--database-url`` it connects to that PostgreSQL database only to create, and at the
   end drop, a dedicated database ``kanava_bench``), migrates it, creates an organization
   with an owner and a Lead, imports a generated plan (``large_plan`` of plan_bench.py) and
   saves a second, revised version of it so that the diff page has work to do;
2. starts ``kanava serve`` (waitress) as a subprocess on a free loopback port and waits
   until it answers;
3. signs the Lead in once through the login form (CSRF token, session cookie) and gives
   every client its own copy of the cookies and its own keep-alive connection; then
   ``--clients`` threads request the main pages (organization home, plan list, plan page,
   diff, YAML and HTML export) round-robin for ``--duration`` seconds (or ``--requests``
   times each); the PDF export runs afterwards on its own, with fewer clients;
4. prints per page: requests, errors (anything but 200), throughput, p50/p95/p99 latency,
   and the server's peak resident memory (VmHWM);
5. stops the server with Ctrl+C (SIGINT), removes the temporary folder and drops the
   PostgreSQL database; ``--profile N`` then profiles N plan-page requests in-process with
   cProfile and prints where the time goes.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import http.client
import io
import math
import os
import platform
import pstats
import queue
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from plan_bench import large_plan

BENCH_DB = "kanava_bench"
LEAD = ("bench-lead", "bench-lead-password-2026")  # a throwaway local account
PAGE_NAMES = ("org home", "plan list", "plan page", "diff", "export yaml", "export html")
ORG = "bench-org"


# --- the data ------------------------------------------------------------------------------

@dataclass
class Site:
    """What the setup made: the plan's slug, its two version numbers and its size."""

    plan_slug: str
    old: int
    new: int
    plan_lines: int
    diff_lines: int


def revised(text: str) -> str:
    """A second version: every tenth goal renamed, every fifth channel's purpose rewritten."""
    text = re.sub(r"Goal number (\d*0)$", r"Revised goal \1", text, flags=re.MULTILINE)
    return re.sub(r"Purpose (\d*[05])$", r"Purpose \1, revised after the review", text,
                  flags=re.MULTILINE)


def pg_url(url: str, database: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))


def pg_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)  # type: ignore[arg-type]


def setup_data(channels: int, goals: int) -> Site:
    """Migrate the database named by the environment and fill it (in this process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kanava.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from kanava.accounts.roles import Role
    from kanava.accounts.services import do_create_organization, do_create_user, do_set_role
    from kanava.planstore.services import diff_versions, do_import_plan, do_save_version

    call_command("migrate", interactive=False, verbosity=0)
    owner = do_create_user("bench-owner", "owner@bench.invalid", LEAD[1] + "-owner",
                           first_name="Olli", last_name="Owner")
    lead = do_create_user(LEAD[0], "lead@bench.invalid", LEAD[1],
                          first_name="Liisa", last_name="Lead")
    organization = do_create_organization(owner, "Bench organization", slug=ORG,
                                          timezone_name="Europe/Helsinki", language="en")
    do_set_role(organization, owner, lead, Role.LEAD)
    text = large_plan(channels, goals)
    document = do_import_plan(organization, lead, text, "large.yaml")
    first = document.latest()
    second = do_save_version(document, lead, revised(text), "Revised goals and purposes")
    assert first is not None
    assert second.number > first.number
    site = Site(document.slug, first.number, second.number, len(text.splitlines()),
                len(diff_versions(first, second)))
    connections.close_all()
    return site


# --- the server ----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def server(port: int, threads: int, env: dict[str, str], log: Path) -> Iterator[int]:
    """``kanava serve`` running on ``port``; yields its pid, stops it with SIGINT."""
    command = [sys.executable, "-m", "kanava.cli.main", "serve", "--host", "127.0.0.1",
               "--port", str(port), "--threads", str(threads)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        wait_until_up(port, process, log)
        yield process.pid
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            print(f"(the server did not stop on SIGINT; see {log})")


def wait_until_up(port: int, process: subprocess.Popen[bytes], log: Path,
                  timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"the server exited ({process.returncode}):\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"the server did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(VmHWM, VmRSS) of a process in MB, from /proc."""
    values = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _sep, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0]) / 1024
    return values.get("VmHWM", math.nan), values.get("VmRSS", math.nan)


# --- the clients ---------------------------------------------------------------------------

def cookies_of(response: http.client.HTTPResponse, jar: dict[str, str]) -> None:
    for header in response.headers.get_all("Set-Cookie") or []:
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            jar[name] = morsel.value


def sign_in(port: int) -> dict[str, str]:
    """Cookies of a signed-in session, through the login form like a browser."""
    jar: dict[str, str] = {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies_of(response, jar)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if found is None or "csrftoken" not in jar:
        sys.exit("the login page has no CSRF token")
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": found.group(1), "username": LEAD[0],
                                   "password": LEAD[1], "next": ""})
    connection.request("POST", "/accounts/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie_header(jar)})
    response = connection.getresponse()
    response.read()
    cookies_of(response, jar)
    connection.close()
    if response.status != 302 or "sessionid" not in jar:
        sys.exit(f"signing in failed (HTTP {response.status})")
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


@dataclass
class Sample:
    page: str
    status: int  # 0: the connection failed
    ms: float
    size: int


@dataclass
class Client:
    """One user: its own keep-alive connection and its own copy of the session cookies."""

    port: int
    cookies: dict[str, str]
    samples: list[Sample] = field(default_factory=list)
    connection: http.client.HTTPConnection | None = None

    def get(self, page: str, path: str) -> Sample:
        headers = {"Cookie": cookie_header(self.cookies), "Accept-Language": "en"}
        start = time.perf_counter()
        try:
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
            size = len(response.read())
            status = response.status
            if response.will_close:
                self.close()
        except (OSError, http.client.HTTPException):
            self.close()
            status, size = 0, 0
        sample = Sample(page, status, (time.perf_counter() - start) * 1000, size)
        self.samples.append(sample)
        return sample

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def run_load(port: int, cookies: dict[str, str], pages: dict[str, str], clients: int,
             duration: float, requests: int) -> tuple[list[Sample], float]:
    """Samples of ``clients`` concurrent users, and the elapsed seconds.

    With ``requests`` > 0 every page is requested that many times (shuffled, shared by
    the clients); otherwise each client cycles through the pages until ``duration`` ends.
    """
    work: queue.SimpleQueue[str] = queue.SimpleQueue()
    if requests > 0:
        jobs = [page for page in pages for _ in range(requests)]
        random.Random(7).shuffle(jobs)
        for job in jobs:
            work.put(job)
    users = [Client(port, dict(cookies)) for _ in range(clients)]
    names = list(pages)
    start_line = threading.Barrier(clients + 1)
    deadline = 0.0

    def drive(index: int, user: Client) -> None:
        start_line.wait()
        turn = index
        while True:
            if requests > 0:
                try:
                    page = work.get_nowait()
                except queue.Empty:
                    break
            else:
                if time.monotonic() >= deadline:
                    break
                page = names[turn % len(names)]
                turn += 1
            user.get(page, pages[page])
        user.close()

    threads = [threading.Thread(target=drive, args=(i, user), daemon=True)
               for i, user in enumerate(users)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + duration
    began = time.perf_counter()
    start_line.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return [sample for user in users for sample in user.samples], elapsed


# --- the report ----------------------------------------------------------------------------

def percentile(ordered: list[float], p: float) -> float:
    """Nearest-rank percentile of sorted values."""
    if not ordered:
        return math.nan
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


HEADER = (f"  {'page':<14}{'requests':>9}{'errors':>7}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'p99 ms':>9}{'max ms':>9}{'KB':>7}")


def row(name: str, samples: list[Sample], elapsed: float) -> str:
    ordered = sorted(s.ms for s in samples)
    errors = sum(1 for s in samples if s.status != 200)
    size = sum(s.size for s in samples) / len(samples) / 1024 if samples else math.nan
    return (f"  {name:<14}{len(samples):>9}{errors:>7}{len(samples) / elapsed:>8.1f}"
            f"{percentile(ordered, 50):>9.1f}{percentile(ordered, 95):>9.1f}"
            f"{percentile(ordered, 99):>9.1f}{ordered[-1] if ordered else math.nan:>9.1f}"
            f"{size:>7.0f}")


def report(title: str, samples: list[Sample], elapsed: float, pages: list[str],
           overall: bool = True) -> None:
    print(f"\n{title} ({elapsed:.1f} s)")
    print(HEADER)
    for page in pages:
        print(row(page, [s for s in samples if s.page == page], elapsed))
    if overall:
        print(row("overall", samples, elapsed))
    statuses = sorted({s.status for s in samples if s.status != 200})
    if statuses:
        print(f"  non-200 statuses seen: {statuses} (0 = connection failed)")


def print_cpu(pid: int, before: tuple[float, float], elapsed: float) -> None:
    server = (cpu_seconds(pid) - before[0]) / elapsed
    clients = (own_cpu_seconds() - before[1]) / elapsed
    print(f"  CPU while it ran: server {server:.0%} of one core, clients {clients:.0%} "
          f"(of {os.cpu_count()} cores)")


def machine() -> str:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"{platform.node()}: {os.cpu_count()} CPUs ({usable} usable), {model}; "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}; "
            f"load average before the run {load}")


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            name = "PostgreSQL"
        else:
            cursor.execute("SELECT sqlite_version()")
            name = "SQLite"
        version = cursor.fetchone()[0]
    connection.close()
    return f"{name} {version}"


# --- the profile ---------------------------------------------------------------------------

#: Where the profile looks: our code and the libraries that do the work.
PROFILE_FOCUS = r"kanava/|difflib|ruamel|jinja2|weasyprint|template/base|db/backends|pydantic"


def in_process(pages: dict[str, str], runs: int, chosen: list[str], top: int) -> None:
    """Service time of each page without HTTP or concurrency, then cProfile of ``chosen``."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client as DjangoClient

    client = DjangoClient(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(get_user_model().objects.get(username=LEAD[0]))
    print(f"\nIn-process service time (Django test client, one thread, no HTTP; caches warm; "
          f"mean of {runs}):")
    times: dict[str, float] = {}
    for page, path in pages.items():
        client.get(path)
        start = time.perf_counter()
        for _ in range(runs):
            client.get(path)
        times[page] = (time.perf_counter() - start) * 1000 / runs
    total = sum(times.values())
    for page, ms in times.items():
        print(f"  {page:<14}{ms:>9.1f} ms  {ms / total:>4.0%} of one round of all pages")
    print(f"  one round of all pages: {total:.0f} ms of CPU under one GIL, so at most "
          f"{len(pages) * 1000 / total:.0f} req/s from one server process")
    for page in chosen:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(runs):
            client.get(pages[page])
        profiler.disable()
        for order, focus in (("cumulative", PROFILE_FOCUS), ("tottime", "")):
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(order)
            stats.print_stats(*([focus, top] if focus else [top]))
            body = [line for line in out.getvalue().splitlines() if line.strip()]
            begin = next((i for i, line in enumerate(body) if "ncalls" in line), 0)
            print(f"\nProfile of {page} ({pages[page]}), {runs} requests, by {order} time"
                  + (f" (functions matching {focus})" if focus else "") + ":")
            for line in body[begin:]:
                print("  " + re.sub(r"/\S*/(site-packages|src|lib/python3\.\d+)/", "", line))
    connections.close_all()


# --- main ----------------------------------------------------------------------------------

def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=20, help="seconds of load")
    parser.add_argument("--requests", type=int, default=0,
                        help="requests per page instead of a duration (0: use --duration)")
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--goals", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL server to use (its database is only used to create "
                             f"and drop {BENCH_DB}); default: SQLite in a temporary folder")
    parser.add_argument("--pdf-requests", type=int, default=6,
                        help="PDF exports, measured on their own (0: skip)")
    parser.add_argument("--pdf-clients", type=int, default=2)
    parser.add_argument("--profile", type=int, default=10, metavar="N",
                        help="afterwards, time and profile N requests per page in-process "
                             "(0: skip)")
    parser.add_argument("--profile-page", action="append", choices=list(PAGE_NAMES),
                        help="page to profile (repeatable; default: plan page)")
    parser.add_argument("--profile-top", type=int, default=20)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="kanava-web-bench-"))
    os.environ["KANAVA_DATA_DIR"] = str(folder)
    os.environ.pop("KANAVA_DEBUG", None)
    postgres, created = args.database_url, False
    try:
        if postgres:
            pg_admin(postgres, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            pg_admin(postgres, f"CREATE DATABASE {BENCH_DB}")
            created = True
            os.environ["DATABASE_URL"] = pg_url(postgres, BENCH_DB)
        else:
            os.environ.pop("DATABASE_URL", None)
        bench(args, folder)
    finally:
        from django.conf import settings

        if settings.configured:
            from django.db import connections

            connections.close_all()
        if created:
            pg_admin(postgres, f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        shutil.rmtree(folder, ignore_errors=True)


def bench(args: argparse.Namespace, folder: Path) -> None:
    began = time.perf_counter()
    site = setup_data(args.channels, args.goals)
    print(f"machine: {machine()}")
    print(f"database: {database_version()}; server: kanava serve (waitress, "
          f"{args.threads} threads); {args.clients} clients on loopback, "
          + (f"{args.requests} requests per page" if args.requests
             else f"{args.duration:g} s") + " of load")
    print(f"plan: {args.channels} channels, {args.goals} goals, {site.plan_lines} lines of "
          f"YAML, 2 versions (diff: {site.diff_lines} lines); "
          f"setup {time.perf_counter() - began:.1f} s")

    base = f"/o/{ORG}/plans/{site.plan_slug}"
    pages = dict(zip(PAGE_NAMES, (
        f"/o/{ORG}/",
        f"/o/{ORG}/plans/",
        f"{base}/",
        f"{base}/diff/?from={site.old}&to={site.new}",
        f"{base}/v{site.new}/export.yaml",
        f"{base}/v{site.new}/export.html",
    ), strict=True))
    pdf = {"export pdf": f"{base}/v{site.new}/export.pdf"}
    env = dict(os.environ)
    port = free_port()
    with server(port, args.threads, env, folder / "server.log") as pid:
        cookies = sign_in(port)
        print(f"server pid {pid} on http://127.0.0.1:{port}/, signed in as {LEAD[0]} "
              f"(peak RSS after start and sign-in: {peak_rss_mb(pid)[0]:.0f} MB)")

        first = Client(port, dict(cookies))
        print("\nfirst request of each page, one client (caches cold):")
        for page, path in pages.items():
            sample = first.get(page, path)
            print(f"  {page:<14}{sample.ms:>9.1f} ms  HTTP {sample.status}  "
                  f"{sample.size / 1024:.0f} KB")
            if sample.status != 200:
                sys.exit(f"{path} answered {sample.status}; not benchmarking a broken page")
        first.close()

        cpu = cpu_seconds(pid), own_cpu_seconds()
        samples, elapsed = run_load(port, cookies, pages, args.clients, args.duration,
                                    args.requests)
        report(f"Main pages, {args.clients} concurrent clients", samples, elapsed,
               list(pages))
        print_cpu(pid, cpu, elapsed)
        if args.pdf_requests > 0:
            clients = max(1, min(args.pdf_clients, args.pdf_requests))
            cpu = cpu_seconds(pid), own_cpu_seconds()
            samples, elapsed = run_load(port, cookies, pdf, clients, 0, args.pdf_requests)
            report(f"PDF export, {clients} concurrent clients", samples, elapsed, list(pdf),
                   overall=False)
            print_cpu(pid, cpu, elapsed)
        hwm, rss = peak_rss_mb(pid)
        print(f"\nserver memory: peak RSS (VmHWM) {hwm:.0f} MB, RSS at the end {rss:.0f} MB")
    if args.profile > 0:
        in_process(pages, args.profile, args.profile_page or ["plan page"], args.profile_top)


if __name__ == "__main__":
    main(sys.argv[1:])
