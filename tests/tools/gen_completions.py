#!/usr/bin/env python3
"""Write the bash, zsh and fish completion scripts of thaiyyal from its help.

Reads `thaiyyal --help` and `thaiyyal COMMAND --help` (and the subcommands of
workflows), and `thaiyyal lint --list-rules --format json` for rule names, then
writes thaiyyal.bash, _thaiyyal and thaiyyal.fish into OUTDIR. The scripts are
static: they never run thaiyyal while completing. Regenerate them when a flag
changes.

usage: gen_completions.py THAIYYAL OUTDIR
"""
import json
import os
import re
import subprocess
import sys

# Flags whose value is a file of a known kind: the extensions offered.
FILE_KINDS = {
    "--config": ["yaml", "yml", "json"],
    "--http-clients": ["yaml", "yml", "json"],
    "--baseline": ["json", "sarif"],
}
# Flags whose value is a directory.
DIR_FLAGS = {"--data-dir"}
# Positional names (as the help lists them) that are workflow files.
WORKFLOW_POSITIONALS = {"file", "files", "paths"}
WORKFLOW_EXTS = ["json", "yaml", "yml"]

TYPE_RE = re.compile(r"^(\{[^}]*\}|[A-Z][A-Z0-9_]*([:=].*)?)$")
HEADING_RE = re.compile(r"^[A-Z][A-Za-z ]*:$")
STOP_HEADINGS = {"Examples:", "Exit codes:"}


class Option:
    """One flag of a command: its names, value type, closed set and help."""

    def __init__(self, names, vtype, desc):
        self.names = names
        self.vtype = vtype
        self.desc = desc
        self.repeat = vtype.endswith("...")
        m = re.search(r"\{([^}]*)\}", vtype)
        self.values = m.group(1).split(",") if m else None
        self.long = next((n for n in names if n.startswith("--")), names[0])

    @property
    def takes_value(self):
        return bool(self.vtype)

    def value_kind(self, rules):
        """('words', list) | ('files', exts or None) | ('dirs',) | ('none',)."""
        if self.values:
            return ("words", self.values)
        if self.long in FILE_KINDS:
            return ("files", FILE_KINDS[self.long])
        if self.long in DIR_FLAGS:
            return ("dirs",)
        word = self.vtype.split()[0] if self.vtype else ""
        if word == "FILE":
            return ("files", None)
        if word == "RULE" and rules:
            return ("words", rules)
        return ("none",)


class Command:
    """A command (or a subcommand of workflows) as its help describes it."""

    def __init__(self, path, names, summary):
        self.path = path  # e.g. ["workflows", "list"]
        self.names = names  # the name and its aliases
        self.summary = summary
        self.options = []
        self.positional = None  # "workflow", "command" or None
        self.subcommands = []
        self.help = ""  # the text of `thaiyyal <path> --help`

    @property
    def ident(self):
        return "_".join(self.path)


def run_help(binary, args):
    p = subprocess.run([binary] + args + ["--help"], capture_output=True, text=True, check=True)
    return p.stdout


def short_desc(text):
    """The help text without its [default ...] and [env ...] notes."""
    text = re.sub(r"\s*\[(default|env)[^\]]*\]", "", text).strip()
    return text


def parse_help(text):
    """Options, positional names and subcommands (name list, summary) of one help."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Usage:")) + 1
    options, positionals, subcommands = [], [], []
    section = None
    pending = None  # an option whose description is on the next line
    for line in lines[start:]:
        if not line.strip():
            continue
        if not line.startswith(" "):
            if line in STOP_HEADINGS or not HEADING_RE.match(line):
                break
            section = line[:-1]
            continue
        if pending is not None:
            if line.startswith(" " * 30):
                pending.desc = short_desc(line.strip())
                pending.full = line.strip()
                pending = None
                continue
            pending = None
        body = line[2:]
        if section == "Positionals":
            positionals.append(body.split()[0])
        elif section == "Subcommands":
            m = re.match(r"(\S.*?)\s{2,}(.*)$", body)
            if m:
                names = [n.strip() for n in m.group(1).split(",")]
                subcommands.append((names, m.group(2).strip()))
        elif body.startswith("-"):
            names_part, _, rest = body.partition(" ")
            names = names_part.split(",")
            vtype, desc = "", rest.strip()
            if rest and not rest.startswith(" "):
                # One space after the names: a value type follows (it may hold
                # spaces, e.g. `INT in [1 - 1000]`), then the description.
                first = rest.split(" ", 1)[0]
                if TYPE_RE.match(first):
                    m = re.match(r"(.*?)(?:\s{2,}|(?<=[}A-Z\]0-9.]) (?=[A-Z][a-z]))(.*)$", rest)
                    if m and TYPE_RE.match(m.group(1).split(" ", 1)[0]):
                        vtype, desc = m.group(1).strip(), m.group(2).strip()
                    else:
                        vtype, desc = rest.strip(), ""
            opt = Option(names, vtype, short_desc(desc))
            opt.full = desc  # with its [default ...] and [env ...] notes
            opt.section = section
            options.append(opt)
            if not desc:
                pending = opt
    return options, positionals, subcommands


def load(binary):
    """The command tree of thaiyyal, read from its help."""
    top = Command([], ["thaiyyal"], "")
    top.help = run_help(binary, [])
    top.options, _, subs = parse_help(top.help)
    for names, summary in subs:
        cmd = Command([names[0]], names, summary.split("\n")[0])
        cmd.help = run_help(binary, [names[0]])
        cmd.options, positionals, subsubs = parse_help(cmd.help)
        cmd.positional = positional_kind(positionals)
        for sub_names, sub_summary in subsubs:
            sub = Command([names[0], sub_names[0]], sub_names, sub_summary)
            sub.help = run_help(binary, sub.path)
            sub.options, sub_pos, _ = parse_help(sub.help)
            sub.positional = positional_kind(sub_pos)
            cmd.subcommands.append(sub)
        top.subcommands.append(cmd)
    return top


def positional_kind(positionals):
    if not positionals:
        return None
    if positionals[0] in WORKFLOW_POSITIONALS:
        return "workflow"
    if positionals[0] == "command":
        return "command"
    return None


def lint_rules(binary):
    p = subprocess.run([binary, "lint", "--list-rules", "--format", "json"],
                       capture_output=True, text=True, check=True)
    return [r["id"] for r in json.loads(p.stdout)]


def all_commands(top):
    for cmd in top.subcommands:
        yield cmd
        yield from cmd.subcommands


HEADER = ("Generated by tests/tools/gen_completions.py from `thaiyyal COMMAND --help`;\n"
          "regenerate it (do not edit by hand) when the flags change.")


# ---------------------------------------------------------------------------
# bash

def bash_words(words, indent=12):
    """The words as one string, wrapped onto indented lines when long."""
    lines, line = [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > 80 - indent:
            lines.append(line)
            line = w
        else:
            line = w if not line else line + " " + w
    lines.append(line)
    return ("\n" + " " * indent).join(lines)


def bash_patterns(names, indent=8):
    """A case pattern of the names, continued onto more lines when long."""
    lines, line = [], ""
    for n in names:
        if line and len(line) + 1 + len(n) > 78 - indent:
            lines.append(line + "|\\")
            line = n
        else:
            line = n if not line else line + "|" + n
    lines.append(line)
    return ("\n" + " " * indent).join(lines)


def gen_bash(top, rules):
    cmd_names = [n for c in top.subcommands for n in c.names]
    out = ["# bash completion for thaiyyal                           -*- shell-script -*-",
           *("# " + line for line in HEADER.splitlines()),
           "# Needs bash 4.1 or later; the bash-completion package is not needed.",
           "",
           "# Offer the words in $1 that start with $2.",
           "_thaiyyal_words() {",
           "    local IFS=$' \\t\\n'",
           "    COMPREPLY=($(compgen -W \"$1\" -- \"$2\"))",
           "}",
           "",
           "# Offer directories (with a trailing /) and files starting with $1; with",
           "# more arguments, only files with one of these extensions.",
           "_thaiyyal_files() {",
           "    local cur=$1 f ext",
           "    shift",
           "    local -a found",
           "    COMPREPLY=()",
           "    compopt -o filenames 2>/dev/null",
           "    mapfile -t found < <(compgen -f -- \"$cur\")",
           "    for f in \"${found[@]}\"; do",
           "        if [[ -d $f ]]; then",
           "            COMPREPLY+=(\"${f%/}/\")",
           "        elif (($# == 0)); then",
           "            COMPREPLY+=(\"$f\")",
           "        else",
           "            for ext; do",
           "                if [[ $f == *.\"$ext\" ]]; then",
           "                    COMPREPLY+=(\"$f\")",
           "                    break",
           "                fi",
           "            done",
           "        fi",
           "    done",
           "}",
           "",
           "# Offer directories starting with $1.",
           "_thaiyyal_dirs() {",
           "    local f",
           "    local -a found",
           "    COMPREPLY=()",
           "    compopt -o filenames 2>/dev/null",
           "    mapfile -t found < <(compgen -d -- \"$1\")",
           "    for f in \"${found[@]}\"; do",
           "        COMPREPLY+=(\"${f%/}/\")",
           "    done",
           "}",
           ""]

    for cmd in all_commands(top):
        out += bash_command(cmd, rules, cmd_names)

    # The dispatcher.
    valued = {}
    for cmd in all_commands(top):
        valued[cmd.ident] = [n for o in cmd.options if o.takes_value for n in o.names]
    out += ["_thaiyyal() {",
            "    local cur prev cword words",
            "    # COMP_WORDS directly: no dependency on the bash-completion package.",
            "    words=(\"${COMP_WORDS[@]}\")",
            "    cword=$COMP_CWORD",
            "    cur=${words[cword]}",
            "    prev=${words[cword - 1]}",
            "    # --flag=value (when = splits words, and when it does not).",
            "    local prefix=",
            "    if [[ $cur == = ]]; then",
            "        cur=",
            "    elif [[ $prev == = ]] && ((cword >= 2)); then",
            "        prev=${words[cword - 2]}",
            "    elif [[ $cur == --*=* ]]; then",
            "        prev=${cur%%=*}",
            "        prefix=$prev=",
            "        cur=${cur#*=}",
            "    fi",
            "",
            "    # The command and (for workflows) its subcommand: the first words that",
            "    # are neither flags nor a flag's value.",
            "    local cmd= sub= i w",
            "    for ((i = 1; i < cword; i++)); do",
            "        w=${words[i]}",
            "        [[ $w == = ]] && continue",
            "        if [[ -z $cmd ]]; then",
            "            [[ $w == -* ]] || cmd=$w",
            "        elif [[ $cmd == workflows && -z $sub ]]; then",
            "            case $w in",
            "                " + "|".join(valued["workflows"]) + ")",
            "                    ((i++)) ;;",
            "                -*) ;;",
            "                *) sub=$w ;;",
            "            esac",
            "        fi",
            "    done",
            "",
            "    case $cmd in",
            "        '')",
            "            if [[ $cur == -* ]]; then",
            "                _thaiyyal_words \"" + bash_words(n for o in top.options for n in o.names) + "\" \"$cur\"",
            "            else",
            "                _thaiyyal_words \"" + bash_words(cmd_names) + "\" \"$cur\"",
            "            fi",
            "            ;;"]
    for cmd in top.subcommands:
        out.append("        " + "|".join(cmd.names) + ")")
        if cmd.subcommands:
            out += ["            case $sub in"]
            for sub in cmd.subcommands:
                out.append("                " + "|".join(sub.names) + ") _thaiyyal_" + sub.ident
                           + " \"$cur\" \"$prev\" ;;")
            out += ["                *) _thaiyyal_" + cmd.ident + " \"$cur\" \"$prev\" ;;",
                    "            esac"]
        else:
            out.append("            _thaiyyal_" + cmd.ident + " \"$cur\" \"$prev\"")
        out.append("            ;;")
    out += ["    esac",
            "",
            "    if [[ -n $prefix ]]; then",
            "        local j",
            "        for j in \"${!COMPREPLY[@]}\"; do",
            "            COMPREPLY[j]=$prefix${COMPREPLY[j]}",
            "        done",
            "    fi",
            "}",
            "",
            "complete -F _thaiyyal thaiyyal",
            ""]
    return "\n".join(out)


def bash_value_call(kind):
    if kind[0] == "words":
        return "_thaiyyal_words \"" + bash_words(kind[1]) + "\" \"$cur\""
    if kind[0] == "files":
        return "_thaiyyal_files \"$cur\"" + "".join(" " + e for e in (kind[1] or []))
    if kind[0] == "dirs":
        return "_thaiyyal_dirs \"$cur\""
    return "COMPREPLY=()"


def bash_command(cmd, rules, cmd_names):
    out = ["# thaiyyal " + " ".join(cmd.path) + ": " + cmd.summary.rstrip("."),
           "_thaiyyal_" + cmd.ident + "() {",
           "    local cur=$1 prev=$2"]
    groups = {}
    for o in cmd.options:
        if o.takes_value:
            groups.setdefault(bash_value_call(o.value_kind(rules)), []).extend(o.names)
    if groups:
        out.append("    case $prev in")
        for call, names in groups.items():
            out += ["        " + bash_patterns(names) + ")",
                    "            " + call,
                    "            return",
                    "            ;;"]
        out.append("    esac")
    flags = [n for o in cmd.options for n in o.names]
    out += ["    if [[ $cur == -* ]]; then",
            "        _thaiyyal_words \"" + bash_words(flags) + "\" \"$cur\""]
    if cmd.subcommands:
        out += ["    else",
                "        _thaiyyal_words \"" + bash_words(n for s in cmd.subcommands for n in s.names)
                + "\" \"$cur\""]
    elif cmd.positional == "workflow":
        out += ["    else",
                "        _thaiyyal_files \"$cur\" " + " ".join(WORKFLOW_EXTS)]
    elif cmd.positional == "command":
        out += ["    else",
                "        _thaiyyal_words \"" + bash_words(cmd_names) + "\" \"$cur\""]
    else:
        out += ["    else",
                "        COMPREPLY=()"]
    out += ["    fi", "}", ""]
    return out


# ---------------------------------------------------------------------------
# zsh

def zsh_quote(text):
    return "'" + text.replace("'", "'\\''") + "'"


def first_clause(text):
    """The help text up to its first sentence or clause end, at most 70 characters."""
    text = re.split(r"(?<!e\.g)(?<!i\.e)\. |; ", text)[0].rstrip(".")
    if len(text) > 70:
        text = text[:67].rstrip() + "..."
    return text


def zsh_desc(text):
    text = first_clause(text)
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]").replace(":", "\\:")


def zsh_action(kind):
    if kind[0] == "words":
        return "(" + " ".join(kind[1]) + ")"
    if kind[0] == "files":
        if kind[1]:
            return "_files -g \"*.(" + "|".join(kind[1]) + ")\""
        return "_files"
    if kind[0] == "dirs":
        return "_files -/"
    return " "


def zsh_option_specs(options, rules):
    specs = []
    for o in options:
        excl = "(" + " ".join(o.names) + ")" if len(o.names) > 1 and not o.repeat else ""
        star = "*" if o.repeat else ""
        desc = "[" + zsh_desc(o.desc) + "]"
        tail = ""
        if o.takes_value:
            msg = o.vtype.split()[0].split(":")[0].lower() if not o.vtype.startswith("{") else "value"
            tail = ":" + msg.replace(":", "\\:") + ":" + zsh_action(o.value_kind(rules))
        if len(o.names) > 1:
            specs.append(zsh_quote(excl + star) + "{" + ",".join(o.names) + "}"
                         + zsh_quote(desc + tail))
        else:
            specs.append(zsh_quote(star + o.names[0] + desc + tail))
    return specs


def zsh_describe_lines(name, commands):
    out = ["    local -a " + name + "=("]
    for c in commands:
        for n in c.names:
            out.append("        " + zsh_quote(n + ":" + c.summary.rstrip(".")))
    out.append("    )")
    return out


def gen_zsh(top, rules):
    out = ["#compdef thaiyyal",
           *("# " + line for line in HEADER.splitlines()),
           "",
           "_thaiyyal_commands() {"]
    out += zsh_describe_lines("commands", top.subcommands)
    out += ["    _describe -t commands 'thaiyyal command' commands",
            "}",
            ""]
    for cmd in all_commands(top):
        out += ["# thaiyyal " + " ".join(cmd.path),
                "_thaiyyal_" + cmd.ident + "() {"]
        specs = zsh_option_specs(cmd.options, rules)
        if cmd.subcommands:
            out += ["    local curcontext=$curcontext state line ret=1",
                    "    typeset -A opt_args",
                    "    _arguments -C \\"]
            out += ["        " + s + " \\" for s in specs]
            out += ["        '1: :->subcommand' \\",
                    "        '*:: :->args' && ret=0",
                    "    case $state in",
                    "        subcommand)"]
            out += ["        " + line for line in zsh_describe_lines("subcommands", cmd.subcommands)]
            out += ["            _describe -t commands 'thaiyyal " + cmd.path[0]
                    + " command' subcommands && ret=0",
                    "            ;;",
                    "        args)",
                    "            case $words[1] in"]
            for sub in cmd.subcommands:
                out.append("                " + "|".join(sub.names) + ") _thaiyyal_" + sub.ident
                           + " && ret=0 ;;")
            out += ["            esac",
                    "            ;;",
                    "    esac",
                    "    return ret",
                    "}",
                    ""]
            continue
        if cmd.positional == "workflow":
            specs.append(zsh_quote("*:workflow file:_files -g \"*.(" + "|".join(WORKFLOW_EXTS) + ")\""))
        elif cmd.positional == "command":
            specs.append(zsh_quote("1:command:_thaiyyal_commands"))
        out.append("    _arguments -s \\")
        out += ["        " + s + " \\" for s in specs[:-1]]
        out += ["        " + specs[-1], "}", ""]
    out += ["_thaiyyal() {",
            "    local curcontext=$curcontext state line ret=1",
            "    typeset -A opt_args",
            "    _arguments -C \\"]
    out += ["        " + s + " \\" for s in zsh_option_specs(top.options, rules)]
    out += ["        '1: :_thaiyyal_commands' \\",
            "        '*:: :->args' && ret=0",
            "    if [[ $state == args ]]; then",
            "        case $words[1] in"]
    for cmd in top.subcommands:
        out.append("            " + "|".join(cmd.names) + ") _thaiyyal_" + cmd.ident + " && ret=0 ;;")
    out += ["        esac",
            "    fi",
            "    return ret",
            "}",
            "",
            "_thaiyyal \"$@\"",
            ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------
# fish

def fish_quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_desc(text):
    return fish_quote(first_clause(text))


def fish_cond(text):
    """A condition in double quotes (it holds single-quoted arguments)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def fish_value(kind):
    if kind[0] == "words":
        return " -x -a " + fish_quote(" ".join(kind[1]))
    if kind[0] == "files":
        if kind[1]:
            return " -x -a " + fish_quote("(__thaiyyal_files " + " ".join(kind[1]) + ")")
        return " -r -F"
    if kind[0] == "dirs":
        return " -x -a '(__fish_complete_directories)'"
    return " -x"


def fish_options(cond, options, rules):
    out = []
    for o in options:
        parts = []
        for n in o.names:
            parts.append(("-s " if len(n) == 2 else "-l ") + n.lstrip("-"))
        value = fish_value(o.value_kind(rules)) if o.takes_value else ""
        out.append("complete -c thaiyyal -n " + fish_cond(cond) + " " + " ".join(parts) + value
                   + " -d " + fish_desc(o.desc))
    return out


def gen_fish(top, rules):
    subs = {c.path[0]: c for c in top.subcommands if c.subcommands}
    out = ["# fish completion for thaiyyal",
           *("# " + line for line in HEADER.splitlines()),
           "",
           "# The words of the command line after thaiyyal that are not flags.",
           "function __thaiyyal_words",
           "    set -l tokens (commandline -opc)",
           "    string match -v -- '-*' $tokens[2..-1]",
           "end",
           "",
           "# True when the command is one of $argv[1] (space-separated names) and, with",
           "# $argv[2], when its subcommand is one of $argv[2] ('' for none yet).",
           "function __thaiyyal_using",
           "    set -l words (__thaiyyal_words)",
           "    if test -z \"$argv[1]\"",
           "        test (count $words) -eq 0",
           "        return",
           "    end",
           "    test (count $words) -ge 1; or return 1",
           "    contains -- $words[1] (string split ' ' -- $argv[1]); or return 1",
           "    test (count $argv) -ge 2; or return 0",
           "    set -l rest $words[2..-1]",
           "    if test -z \"$argv[2]\"",
           "        for w in $rest",
           "            contains -- $w " + " ".join(n for c in subs.values() for s in c.subcommands
                                                   for n in s.names) + "; and return 1",
           "        end",
           "        return 0",
           "    end",
           "    for w in $rest",
           "        contains -- $w (string split ' ' -- $argv[2]); and return 0",
           "    end",
           "    return 1",
           "end",
           "",
           "# Directories and the files with one of the extensions $argv.",
           "function __thaiyyal_files",
           "    set -l token (commandline -ct)",
           "    for f in $token*",
           "        if test -d $f",
           "            echo $f/",
           "        else",
           "            for ext in $argv",
           "                if string match -q -- \"*.$ext\" $f",
           "                    echo $f",
           "                    break",
           "                end",
           "            end",
           "        end",
           "    end",
           "end",
           "",
           "complete -c thaiyyal -f",
           ""]
    out += fish_options("__thaiyyal_using ''", top.options, rules)
    for cmd in top.subcommands:
        for n in cmd.names:
            out.append("complete -c thaiyyal -n \"__thaiyyal_using ''\" -a " + n + " -d "
                       + fish_desc(cmd.summary))
    for cmd in top.subcommands:
        names = " ".join(cmd.names)
        out += ["", "# thaiyyal " + cmd.path[0]]
        if cmd.subcommands:
            cond = "__thaiyyal_using '" + names + "' ''"
            out += fish_options(cond, cmd.options, rules)
            for sub in cmd.subcommands:
                for n in sub.names:
                    out.append("complete -c thaiyyal -n " + fish_cond(cond) + " -a " + n + " -d "
                               + fish_desc(sub.summary))
            for sub in cmd.subcommands:
                out += ["", "# thaiyyal " + " ".join(sub.path)]
                out += fish_options("__thaiyyal_using '" + names + "' '" + " ".join(sub.names) + "'",
                                    sub.options, rules)
            continue
        cond = "__thaiyyal_using '" + names + "'"
        out += fish_options(cond, cmd.options, rules)
        if cmd.positional == "workflow":
            out.append("complete -c thaiyyal -n " + fish_cond(cond) + " -a "
                       + fish_quote("(__thaiyyal_files " + " ".join(WORKFLOW_EXTS) + ")"))
        elif cmd.positional == "command":
            for c in top.subcommands:
                for n in c.names:
                    out.append("complete -c thaiyyal -n " + fish_cond(cond) + " -a " + n + " -d "
                               + fish_desc(c.summary))
    out.append("")
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, outdir = sys.argv[1], sys.argv[2]
    top = load(binary)
    rules = lint_rules(binary)
    os.makedirs(outdir, exist_ok=True)
    for name, text in (("thaiyyal.bash", gen_bash(top, rules)), ("_thaiyyal", gen_zsh(top, rules)),
                       ("thaiyyal.fish", gen_fish(top, rules))):
        with open(os.path.join(outdir, name), "w") as f:
            f.write(text)
        print("wrote", os.path.join(outdir, name))


if __name__ == "__main__":
    main()
