#!/usr/bin/env python3
"""A throwaway PostgreSQL server for tests, from the distribution's binaries.

  pg_fixture.py start STATE_DIR   initialises a cluster in a temporary
                                  directory, starts the server in the
                                  background and exits 0 once it accepts
                                  connections; STATE_DIR/url holds the
                                  database URL
  pg_fixture.py stop STATE_DIR    stops that server and removes the cluster
                                  and STATE_DIR
  pg_fixture.py run STATE_DIR CMD...
                                  runs CMD with THAIYYAL_TEST_DATABASE_URL
                                  set to that server's URL (exit 77 when
                                  no server was started)

or, imported:

  with postgres_server() as pg:
      pg.url      # postgres://thaiyyal@127.0.0.1:PORT/thaiyyal
      pg.kill()   # SIGKILL the postmaster (fault tests)
      pg.start()  # start again on the same port and data directory
      pg.stop()   # fast shutdown

The server listens on 127.0.0.1 only (its unix socket lives in the data
directory), trusts every local connection and runs with fsync off. initdb
and postgres refuse to run as root: as root they run as the `postgres`
system user (else `nobody`). Without PostgreSQL binaries the tool exits 77
(a skipped test) with a one-line message.
"""
import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SKIP = 77
USER = "thaiyyal"
DATABASE = "thaiyyal"
READY_TIMEOUT = 30.0


class NotAvailable(Exception):
    """No PostgreSQL server binaries on this machine."""


def find_bindir():
    """The directory holding initdb, pg_ctl and postgres."""
    names = ("initdb", "pg_ctl", "postgres")
    found = [shutil.which(n) for n in names]
    if all(found):
        dirs = {os.path.dirname(os.path.realpath(p)) for p in found}
        if len(dirs) == 1:
            return dirs.pop()

    def version_key(path):
        ver = os.path.basename(os.path.dirname(path))
        return [int(p) if p.isdigit() else 0 for p in ver.split(".")]

    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version_key, reverse=True)
    for d in candidates:
        if all(os.access(os.path.join(d, n), os.X_OK) for n in names):
            return d
    raise NotAvailable("no PostgreSQL server binaries (initdb, pg_ctl, postgres) found")


def _run_as():
    """The (name, uid, gid) to run the server as, or None to run as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pw = pwd.getpwnam(name)
        except KeyError:
            continue
        return name, pw.pw_uid, pw.pw_gid
    raise NotAvailable("running as root and neither the postgres nor the nobody user exists")


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chown_tree(path, uid, gid):
    os.chown(path, uid, gid)
    for root, dirs, files in os.walk(path):
        for n in dirs + files:
            os.lchown(os.path.join(root, n), uid, gid)


class PostgresServer:
    """One server: a data directory, a port and (while running) a postmaster."""

    def __init__(self, base_dir, port=None, bindir=None):
        self.bindir = bindir or find_bindir()
        self.base_dir = base_dir
        self.data_dir = os.path.join(base_dir, "data")
        self.log_path = os.path.join(base_dir, "server.log")
        self.port = port or _free_port()
        self.user = _run_as()
        self.url = "postgres://%s@127.0.0.1:%d/%s" % (USER, self.port, DATABASE)

    # Helpers --------------------------------------------------------------

    def _bin(self, name):
        return os.path.join(self.bindir, name)

    def _cmd(self, args):
        if self.user is None:
            return args
        if shutil.which("runuser"):
            return ["runuser", "-u", self.user[0], "--"] + args
        return ["setpriv", "--reuid=%d" % self.user[1], "--regid=%d" % self.user[2],
                "--clear-groups", "--"] + args

    def _check(self, args, what):
        proc = subprocess.run(self._cmd(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, cwd=self.base_dir)
        if proc.returncode != 0:
            raise RuntimeError("%s failed (exit %d):\n%s" % (what, proc.returncode, proc.stdout))
        return proc.stdout

    def _postmaster_pid(self):
        try:
            with open(os.path.join(self.data_dir, "postmaster.pid")) as f:
                return int(f.readline().strip())
        except (OSError, ValueError):
            return None

    def _log_tail(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return "(no server log)"

    # Lifecycle ------------------------------------------------------------

    def init(self):
        """initdb into the data directory and start the server."""
        os.makedirs(self.base_dir, exist_ok=True)
        if self.user is not None:
            os.chmod(self.base_dir, 0o700)
            _chown_tree(self.base_dir, self.user[1], self.user[2])
        self._check([self._bin("initdb"), "-D", self.data_dir, "-U", USER, "--auth=trust",
                     "--locale=C", "-E", "UTF8", "--no-sync"], "initdb")
        self.start()
        self._check([os.path.join(self.bindir, "createdb"), "-h", "127.0.0.1", "-p",
                     str(self.port), "-U", USER, DATABASE], "createdb")
        return self

    def start(self):
        """Starts the postmaster (same data directory, same port) and waits until it is ready."""
        log = open(self.log_path, "ab")
        if self.user is not None:
            os.chown(self.log_path, self.user[1], self.user[2])
        args = [self._bin("postgres"), "-D", self.data_dir, "-k", self.data_dir,
                "-h", "127.0.0.1", "-p", str(self.port), "-c", "fsync=off",
                "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        # A new session, so the server outlives the command-line tool and a
        # terminal's signals do not reach it.
        self.proc = subprocess.Popen(self._cmd(args), stdout=log, stderr=log,
                                     stdin=subprocess.DEVNULL, start_new_session=True,
                                     cwd=self.base_dir)
        log.close()
        self._wait_ready()
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        isready = self._bin("pg_isready")
        if not os.access(isready, os.X_OK):
            isready = shutil.which("pg_isready")
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("postgres exited with %d:\n%s"
                                   % (self.proc.returncode, self._log_tail()))
            if isready:
                rc = subprocess.run([isready, "-q", "-h", "127.0.0.1", "-p", str(self.port),
                                     "-U", USER, "-d", "postgres", "-t", "1"]).returncode
                if rc == 0:
                    return
            else:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                        # The port accepts connections; give startup a moment.
                        time.sleep(0.2)
                        return
                except OSError:
                    pass
            time.sleep(0.1)
        raise RuntimeError("postgres did not become ready within %.0f s:\n%s"
                           % (READY_TIMEOUT, self._log_tail()))

    def _wait_gone(self, pid, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if getattr(self, "proc", None) is not None and self.proc.poll() is not None:
                return True
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return True
            time.sleep(0.05)
        return False

    def kill(self):
        """SIGKILLs the postmaster (its backends exit when they notice)."""
        pid = self._postmaster_pid()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        self._wait_gone(pid, 10)
        # The orphaned backends hold the shared memory until they exit; wait
        # for them so an immediate start() succeeds.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self._orphans():
            time.sleep(0.05)

    def _orphans(self):
        """Processes still having the data directory as their working directory."""
        found = False
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                if os.readlink("/proc/%s/cwd" % pid) == self.data_dir:
                    found = True
            except OSError:
                continue
        return found

    def stop(self):
        """Fast shutdown; falls back to SIGKILL."""
        pid = self._postmaster_pid()
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGINT)
        if not self._wait_gone(pid, 15):
            self.kill()

    def remove(self):
        shutil.rmtree(self.base_dir, ignore_errors=True)


@contextlib.contextmanager
def postgres_server():
    """A fresh server for the duration of the block (raises NotAvailable without binaries)."""
    base = tempfile.mkdtemp(prefix="thaiyyal-pg-")
    server = PostgresServer(base)
    try:
        server.init()
        yield server
    finally:
        server.stop()
        server.remove()


def _read_state(state_dir):
    """The (cluster directory, port) a `start` recorded in STATE_DIR."""
    with open(os.path.join(state_dir, "base")) as f:
        base = f.read().strip()
    with open(os.path.join(state_dir, "port")) as f:
        port = int(f.read().strip())
    return base, port


def _stop_recorded(state_dir):
    try:
        base, port = _read_state(state_dir)
    except (OSError, ValueError):
        return
    if os.path.isdir(base):
        server = PostgresServer(base, port=port)
        server.stop()
        server.remove()


def _run(state_dir, cmd):
    try:
        with open(os.path.join(state_dir, "url")) as f:
            url = f.read().strip()
    except OSError:
        print("pg_fixture: skipped: no PostgreSQL server was started in %s" % state_dir)
        return SKIP
    env = dict(os.environ, THAIYYAL_TEST_DATABASE_URL=url)
    return subprocess.run(cmd, env=env).returncode


def main(argv):
    if len(argv) >= 4 and argv[1] == "run":
        return _run(os.path.abspath(argv[2]), argv[3:])
    if len(argv) != 3 or argv[1] not in ("start", "stop"):
        print("usage: pg_fixture.py start|stop STATE_DIR | run STATE_DIR CMD...", file=sys.stderr)
        return 2
    state_dir = os.path.abspath(argv[2])
    try:
        if argv[1] == "start":
            _stop_recorded(state_dir)
            shutil.rmtree(state_dir, ignore_errors=True)
            os.makedirs(state_dir)
            # The cluster lives in a short temporary path: the unix socket's
            # path must stay within the kernel's limit (about 107 bytes) and
            # every parent directory must be reachable by the server's user.
            server = PostgresServer(tempfile.mkdtemp(prefix="thaiyyal-pg-"))
            try:
                server.init()
            except BaseException:
                server.stop()
                server.remove()
                raise
            for name, value in (("base", server.base_dir), ("port", str(server.port)),
                                ("url", server.url)):
                with open(os.path.join(state_dir, name), "w") as f:
                    f.write(value + "\n")
            print(server.url)
        else:
            _stop_recorded(state_dir)
            shutil.rmtree(state_dir, ignore_errors=True)
    except NotAvailable as e:
        print("pg_fixture: skipped: %s" % e)
        return SKIP
    except Exception as e:  # noqa: BLE001 - report any failure and exit non-zero
        print("pg_fixture: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
