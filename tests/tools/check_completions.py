#!/usr/bin/env python3
"""The shell completions of thaiyyal complete what the binary accepts.

Drives completions/thaiyyal.bash in a real bash (COMP_WORDS, COMP_CWORD,
COMP_LINE and COMP_POINT set, _thaiyyal called, COMPREPLY printed) and checks:
command names, flag names, the closed value sets of flags, workflow-file
filtering, `help COMMAND`, the subcommands of workflows; that every flag of
`thaiyyal COMMAND --help` is completed for that command (and named in the zsh
and fish scripts); and that zsh -n / fish -n parse their scripts when those
shells are installed.

usage: check_completions.py THAIYYAL COMPLETIONS_DIR
"""
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

DRIVER = r'''
source "$1" || exit 90
shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
_thaiyyal
printf '%s\n' "${COMPREPLY[@]}"
'''

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)
    return ok


def help_text(binary, args):
    p = subprocess.run([binary] + args + ["--help"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"thaiyyal {' '.join(args)} --help exited {p.returncode}")
    return p.stdout


def help_flags(text):
    """Every flag name on an option line of the help (liberal on purpose)."""
    flags = []
    for line in text.splitlines():
        m = re.match(r"^  (-\S+)", line)
        if m:
            flags += [n for n in m.group(1).split(",") if re.fullmatch(r"--?[A-Za-z][\w-]*", n)]
    return flags


def help_sets(text):
    """{flag names: closed value set} of the option lines that show {a,b,c}."""
    sets = []
    for line in text.splitlines():
        m = re.match(r"^  (-[^ ]+) (?:[A-Z]+:)?\{([^}]*)\}", line)
        if m:
            sets.append((m.group(1).split(","), m.group(2).split(",")))
    return sets


def help_subcommands(text):
    names, in_section = [], False
    for line in text.splitlines():
        if not line.startswith(" "):
            in_section = line == "Subcommands:"
            continue
        m = re.match(r"^  (\w[\w, ]*?)\s{2,}\S", line)
        if in_section and m:
            names += [n.strip() for n in m.group(1).split(",")]
    return names


class Bash:
    def __init__(self, script):
        self.script = os.path.abspath(script)

    def complete(self, words, cwd=None):
        p = subprocess.run(["bash", "--norc", "--noprofile", "-c", DRIVER, "driver", self.script,
                            "thaiyyal"] + words, capture_output=True, text=True, cwd=cwd,
                           timeout=30)
        if p.returncode != 0:
            failures.append(f"bash driver exited {p.returncode} for {words}: {p.stderr.strip()}")
        return [line for line in p.stdout.splitlines() if line]


def expect(bash, words, wanted, cwd=None, exact=True):
    got = bash.complete(words, cwd)
    label = "thaiyyal " + " ".join(words) + "<TAB>"
    if exact:
        return check(sorted(got) == sorted(wanted), f"{label}: got {sorted(got)}, want {sorted(wanted)}")
    missing = [w for w in wanted if w not in got]
    return check(not missing, f"{label}: missing {missing}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, compdir = sys.argv[1], sys.argv[2]
    bash_script = os.path.join(compdir, "thaiyyal.bash")
    zsh_script = os.path.join(compdir, "_thaiyyal")
    fish_script = os.path.join(compdir, "thaiyyal.fish")
    for path in (bash_script, zsh_script, fish_script):
        if not os.path.isfile(path):
            sys.exit(f"missing {path}")
    bash = Bash(bash_script)
    with open(bash_script) as f:
        check("complete -F _thaiyyal thaiyyal" in f.read(), "thaiyyal.bash: no `complete -F _thaiyyal thaiyyal`")
    with open(zsh_script) as f:
        zsh_text = f.read()
    check(zsh_text.startswith("#compdef thaiyyal"), "_thaiyyal: does not start with #compdef thaiyyal")
    with open(fish_script) as f:
        fish_text = f.read()

    top_help = help_text(binary, [])
    commands = help_subcommands(top_help)
    check({"execute", "run", "validate", "lint", "eval", "serve", "workflows", "history",
           "help"} <= set(commands), f"top-level help lists unexpected commands: {commands}")

    # Command names.
    expect(bash, ["ex"], ["execute"])
    expect(bash, ["r"], [c for c in commands if c.startswith("r")])
    expect(bash, [""], commands)
    expect(bash, ["help", ""], commands)
    expect(bash, ["help", "va"], ["validate"])
    expect(bash, ["-"], help_flags(top_help))

    # Flag names and closed value sets.
    expect(bash, ["execute", "--out"], ["--output"])
    expect(bash, ["run", "--log-l"], ["--log-level"])
    targets = [[c] for c in commands]
    wf_subs = help_subcommands(help_text(binary, ["workflows"]))
    check(wf_subs, "workflows --help lists no subcommands")
    targets += [["workflows", s] for s in wf_subs]
    expect(bash, ["workflows", ""], wf_subs)
    expect(bash, ["workflows", "--data-dir", "/tmp", ""], wf_subs)
    saw_output_set = False
    for target in targets:
        text = help_text(binary, target)
        flags = help_flags(text)
        check(flags, f"thaiyyal {' '.join(target)} --help: no flags found")
        # Every flag of the help is completed for this command.
        expect(bash, target + ["-"], flags, exact=False)
        for flag in flags:
            if flag.startswith("--"):
                check(re.search(r"(?<![\w-])" + re.escape(flag) + r"(?![\w-])", zsh_text),
                      f"_thaiyyal: {flag} ({' '.join(target)}) missing")
                check(re.search(r"-l " + re.escape(flag[2:]) + r"(?![\w-])", fish_text),
                      f"thaiyyal.fish: {flag} ({' '.join(target)}) missing")
        for names, values in help_sets(text):
            for name in names:
                expect(bash, target + [name, ""], values)
            if target == ["execute"] and "--output" in names:
                saw_output_set = True
                check(sorted(values) == ["json", "text", "yaml"], f"execute --output set: {values}")
    check(saw_output_set, "execute --help shows no {..} set for --output")
    # --flag=value as bash splits it (= is in COMP_WORDBREAKS), and a value prefix.
    expect(bash, ["execute", "--output", "=", "y"], ["yaml"])
    expect(bash, ["execute", "--output", "="], ["text", "json", "yaml"])
    expect(bash, ["history", "--status", "f"], ["failed"])
    # A flag's value is not taken for the subcommand.
    expect(bash, ["workflows", "--data-dir", "/tmp", "list", "--f"], ["--format"])

    # Workflow files: *.json, *.yaml, *.yml and directories, nothing else.
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("a.json", "b.yaml", "c.txt", "sub/d.yml", "sub/e.md"):
            path = os.path.join(tmp, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "w").close()
        workflow_files = ["a.json", "b.yaml", "sub/"]
        expect(bash, ["execute", ""], workflow_files, cwd=tmp)
        expect(bash, ["run", "--quiet", ""], workflow_files, cwd=tmp)
        expect(bash, ["validate", "a.json", ""], workflow_files, cwd=tmp)
        expect(bash, ["lint", ""], workflow_files, cwd=tmp)
        expect(bash, ["execute", "sub/"], ["sub/d.yml"], cwd=tmp)
        expect(bash, ["execute", "c"], [], cwd=tmp)
        expect(bash, ["execute", "--config", ""], workflow_files, cwd=tmp)
        expect(bash, ["execute", "--http-clients", ""], workflow_files, cwd=tmp)
        expect(bash, ["validate", "--output", "json", ""], workflow_files, cwd=tmp)
        # Flags whose value is any file, or a directory.
        expect(bash, ["execute", "--metrics-file", ""], ["a.json", "b.yaml", "c.txt", "sub/"], cwd=tmp)
        expect(bash, ["serve", "--data-dir", ""], ["sub/"], cwd=tmp)
        # Commands without file arguments offer none.
        expect(bash, ["eval", ""], [], cwd=tmp)
        expect(bash, ["execute", "--max-nodes", ""], [], cwd=tmp)

    # zsh and fish parse their scripts (when installed).
    for shell, script in (("zsh", zsh_script), ("fish", fish_script)):
        if shutil.which(shell) is None:
            print(f"{shell} not installed: `{shell} -n` check skipped")
            continue
        p = subprocess.run([shell, "-n", script], capture_output=True, text=True)
        check(p.returncode == 0, f"{shell} -n {script}: {p.stderr.strip()}")

    # fish completes like bash does (when installed): `complete -C` asks
    # fish itself what it would offer.
    if shutil.which("fish") is not None:
        def fish_complete(line):
            env = dict(os.environ, PATH=os.path.dirname(os.path.abspath(binary)) + os.pathsep +
                       os.environ.get("PATH", ""))
            p = subprocess.run(["fish", "--no-config", "-c",
                                "source %s; complete -C %s" % (shlex.quote(fish_script),
                                                               shlex.quote(line))],
                               capture_output=True, text=True, env=env)
            return sorted(l.split("\t")[0] for l in p.stdout.splitlines() if l)
        got = fish_complete("thaiyyal execute --output ")
        check(got == ["json", "text", "yaml"], f"fish: execute --output <TAB> gave {got}")
        got = fish_complete("thaiyyal ex")
        check(got == ["execute"], f"fish: ex<TAB> gave {got}")
        got = fish_complete("thaiyyal execute --max-d")
        check(got == ["--max-depth"], f"fish: execute --max-d<TAB> gave {got}")

    if failures:
        for f in failures:
            print("FAIL:", f)
        return 1
    print("completions ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
