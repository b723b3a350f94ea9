#!/usr/bin/env python3
"""`thaiyyal lint` reports as other tools read them.

Lints a few workflows (clean ones, ones with findings on lines that hold
non-ASCII text, one whose name and node id need escaping, ones that do not
load; JSON and YAML) from a temporary directory, naming the files relatively,
and checks:
  - SARIF validates against the official SARIF 2.1.0 schema (jsonschema),
    its artifact URIs are relative to %SRCROOT% (the directory), every
    ruleIndex points at its rule, regions count columns in code points;
  - the GitHub annotations are exactly the expected workflow commands;
  - JUnit and Checkstyle are well-formed XML with the expected counts;
  - the exit codes (0 clean or below the failure level, 1 at it, 3 a file did
    not load) and the text summary.

usage: check_lint_formats.py THAIYYAL SARIF_SCHEMA
Exits 77 (skipped) when the jsonschema module is not installed.
"""
import difflib
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

try:
    import jsonschema
except ImportError:
    print("SKIP: the jsonschema module is not installed (Debian: python3-jsonschema)")
    sys.exit(77)

FILES = {
    "clean.yaml": (
        "nodes:\n"
        "  - id: n\n"
        "    type: number\n"
        "    data: {value: 3}\n"
        "  - id: out\n"
        "    type: visualization\n"
        "    data: {mode: text}\n"
        "edges:\n"
        "  - {source: n, target: out}\n"
    ),
    "clean.json": (
        '{"nodes": [{"id": "n", "type": "number", "data": {"value": 3}},\n'
        '           {"id": "out", "type": "visualization", "data": {"mode": "text"}}],\n'
        ' "edges": [{"source": "n", "target": "out"}]}\n'
    ),
    "findings.yaml": (
        "# Caf\u00e9 workflow: \u00fcn\u00efcode before the findings\n"
        "nodes:\n"
        '  - {id: "\u00f1and\u00fa", data: {value: 3, bogus: 1}}\n'
        '  - {id: c, type: condition, data: {condition: "input > 3"}}\n'
        "  - {id: t, type: visualization, data: {mode: text}}\n"
        "edges:\n"
        '  - {source: "\u00f1and\u00fa", target: c}\n'
        '  - {source: c, target: t, condition: "true"}\n'
    ),
    "findings.json": '{"nodes": [{"id": "gr\u00f6\u00dfe", "data": {"value": 3, "colour": "red"}}]}\n',
    # A name with a comma and a space, a node id with '%', ':' and a newline.
    "odd, name.yaml": 'nodes:\n  - {id: "50%: a\\nb", data: {value: 1}}\n',
    "broken.yaml": "nodes:\n  - id: [unclosed\n",
    "broken.json": '{"nodes": [}\n',
}
ORDER = ["clean.yaml", "clean.json", "findings.yaml", "findings.json", "odd, name.yaml",
         "broken.yaml", "broken.json"]

INFERRED = "has no type; it runs as number because of its data keys%0Aadd type: number to say so"
EXPECTED_GITHUB = (
    "::warning file=findings.yaml,line=3,col=5,endLine=3,endColumn=46,title=inferred-type::"
    "node \u00f1and\u00fa " + INFERRED + "\n"
    "::warning file=findings.yaml,line=3,col=36,endLine=3,endColumn=41,title=unknown-key::"
    "unknown key 'bogus' in the data of node \u00f1and\u00fa (type number) is ignored"
    "%0Aa number node reads: value\n"
    "::warning file=findings.yaml,line=8,col=28,endLine=8,endColumn=37,"
    "title=legacy-condition-field::edge c -> t names its handle with the legacy condition key"
    "%0Awrite sourceHandle: true instead\n"
    "::warning file=findings.json,line=1,col=12,endLine=1,endColumn=66,title=inferred-type::"
    "node gr\u00f6\u00dfe " + INFERRED + "\n"
    "::warning file=findings.json,line=1,col=49,endLine=1,endColumn=57,title=unknown-key::"
    "unknown key 'colour' in the data of node gr\u00f6\u00dfe (type number) is ignored"
    "%0Aa number node reads: value\n"
    "::warning file=odd%2C name.yaml,line=2,col=5,endLine=2,endColumn=40,title=inferred-type::"
    "node 50%25: a%0Ab " + INFERRED + "\n"
    "::error file=broken.yaml,line=3,col=1,endLine=3,endColumn=2,title=yaml-syntax::"
    "failed to parse payload: invalid YAML: end of sequence flow not found\n"
    "::error file=broken.json,line=1,col=12,endLine=1,endColumn=13,title=json-syntax::"
    "failed to parse payload: unexpected '}' where a JSON value was expected\n"
)
FINDINGS = EXPECTED_GITHUB.count("\n")
LOAD_ERRORS = 2

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def lint(binary, cwd, *args):
    p = subprocess.run([binary, "lint", *args], cwd=cwd, capture_output=True, timeout=60)
    try:
        out = p.stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        failures.append("lint %s: stdout is not UTF-8: %s" % (" ".join(args), e))
        out = p.stdout.decode("utf-8", "replace")
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def expect_exit(binary, cwd, want, *args):
    rc, _, err = lint(binary, cwd, *args)
    check(rc == want, "lint %s: exit %d, expected %d\n%s" % (" ".join(args), rc, want, err))


def uri_path(name):
    return urllib.parse.quote(name, safe="/-._~!$&'()*+,;=@")


def check_sarif(text, schema_path, tmp):
    try:
        log = json.loads(text)
    except ValueError as e:
        failures.append("SARIF is not JSON: %s" % e)
        return
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    format_checker = getattr(validator_class, "FORMAT_CHECKER", None) or jsonschema.FormatChecker()
    validator = validator_class(schema, format_checker=format_checker)
    errors = sorted(validator.iter_errors(log), key=lambda e: list(map(str, e.absolute_path)))
    for e in errors:
        failures.append("SARIF schema (%s): at /%s: %s" % (
            validator_class.__name__, "/".join(map(str, e.absolute_path)), e.message))
    if errors:
        return

    check(log.get("version") == "2.1.0", "SARIF version %r" % log.get("version"))
    if not check(len(log.get("runs", [])) == 1, "SARIF: expected one run"):
        return
    run = log["runs"][0]
    check(run.get("columnKind") == "unicodeCodePoints", "SARIF columnKind %r" % run.get("columnKind"))
    base = run.get("originalUriBaseIds", {}).get("%SRCROOT%", {}).get("uri", "")
    want_base = pathlib.Path(os.path.realpath(tmp)).as_uri() + "/"
    check(base == want_base, "SARIF %%SRCROOT%% is %r, expected %r" % (base, want_base))

    artifacts = run.get("artifacts", [])
    uris = [a["location"]["uri"] for a in artifacts]
    check(uris == [uri_path(n) for n in ORDER], "SARIF artifact URIs %r" % uris)
    for a in artifacts:
        loc = a["location"]
        parts = urllib.parse.urlsplit(loc["uri"])
        check(not parts.scheme and not parts.netloc and not loc["uri"].startswith("/"),
              "SARIF artifact URI %r is not relative" % loc["uri"])
        check(loc.get("uriBaseId") == "%SRCROOT%", "SARIF artifact %r has no %%SRCROOT%%" % loc)
        resolved = urllib.parse.urlsplit(urllib.parse.urljoin(base, loc["uri"]))
        path = urllib.parse.unquote(resolved.path)
        check(os.path.isfile(path), "SARIF artifact %r resolves to %r, not a file" % (loc["uri"], path))

    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    check(len(ids) == len(set(ids)), "SARIF rule ids repeat: %r" % ids)
    results = run.get("results", [])
    check(len(results) == FINDINGS, "SARIF has %d results, expected %d" % (len(results), FINDINGS))
    for r in results:
        index = r.get("ruleIndex", -1)
        if check(0 <= index < len(rules), "SARIF ruleIndex %r out of range" % index):
            check(rules[index]["id"] == r["ruleId"],
                  "SARIF ruleIndex %d is %s, the result's ruleId %s" % (index, rules[index]["id"], r["ruleId"]))
        fp = r.get("partialFingerprints", {}).get("thaiyyal/v1", "")
        check(len(fp) == 16, "SARIF result without a thaiyyal/v1 fingerprint: %r" % r)
        for loc in r.get("locations", []):
            art = loc["physicalLocation"]["artifactLocation"]
            check(artifacts[art["index"]]["location"]["uri"] == art["uri"],
                  "SARIF artifact index %d does not match %r" % (art["index"], art["uri"]))

    # unknown-key in findings.yaml: after "ñandú" (two 2-byte characters), the
    # column counts code points, which Python's str indexes are.
    line = FILES["findings.yaml"].splitlines()[2]
    column = line.index("bogus") + 1
    regions = [loc["physicalLocation"].get("region")
               for r in results if r["ruleId"] == "unknown-key"
               for loc in r["locations"]
               if loc["physicalLocation"]["artifactLocation"]["uri"] == "findings.yaml"]
    want = {"startLine": 3, "startColumn": column, "endLine": 3, "endColumn": column + 5}
    check(regions == [want], "SARIF unknown-key region %r, expected %r" % (regions, want))


def check_xml(fmt, text):
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as e:
        failures.append("%s is not well-formed XML: %s\n%s" % (fmt, e, text))
        return
    if fmt == "junit":
        check(root.tag == "testsuites", "junit root <%s>" % root.tag)
        suites = root.findall("testsuite")
        check([s.get("name") for s in suites] == ORDER,
              "junit suites %r" % [s.get("name") for s in suites])
        cases = root.findall("testsuite/testcase")
        # One case per finding, and one passing case for each clean file.
        check(len(cases) == FINDINGS + 2, "junit has %d testcases" % len(cases))
        check(root.get("tests") == str(len(cases)), "junit tests=%r" % root.get("tests"))
        fails = root.findall("testsuite/testcase/failure")
        check(len(fails) == LOAD_ERRORS, "junit has %d failures, expected %d" % (len(fails), LOAD_ERRORS))
        check(root.get("failures") == str(LOAD_ERRORS), "junit failures=%r" % root.get("failures"))
        for s in suites:
            n = len(s.findall("testcase"))
            check(s.get("tests") == str(n), "junit suite %s tests=%r, has %d" % (s.get("name"), s.get("tests"), n))
    else:
        check(root.tag == "checkstyle" and root.get("version") == "4.3",
              "checkstyle root <%s version=%r>" % (root.tag, root.get("version")))
        names = [f.get("name") for f in root.findall("file")]
        check(names == ORDER, "checkstyle files %r" % names)
        errors = root.findall("file/error")
        check(len(errors) == FINDINGS, "checkstyle has %d errors, expected %d" % (len(errors), FINDINGS))
        for e in errors:
            check(e.get("severity") in ("error", "warning", "info"), "checkstyle severity %r" % e.get("severity"))
            check((e.get("source") or "").startswith("thaiyyal."), "checkstyle source %r" % e.get("source"))
        odd = [e.get("message") for e in root.findall("file[@name='odd, name.yaml']/error")]
        check(len(odd) == 1 and odd[0].startswith("node 50%: a\nb has no type"),
              "checkstyle message of the odd node %r" % odd)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    binary = os.path.abspath(sys.argv[1])
    schema_path = os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in FILES.items():
            with open(os.path.join(tmp, name), "w", encoding="utf-8", newline="") as f:
                f.write(text)

        expect_exit(binary, tmp, 0, "clean.yaml", "clean.json")
        expect_exit(binary, tmp, 0, "findings.yaml", "findings.json")  # warnings only
        expect_exit(binary, tmp, 1, "--strict", "findings.yaml", "findings.json")
        expect_exit(binary, tmp, 3, "clean.yaml", "broken.json")

        rc, out, err = lint(binary, tmp, "--format", "sarif", *ORDER)
        check(rc == 3, "lint --format sarif: exit %d, expected 3\n%s" % (rc, err))
        check_sarif(out, schema_path, tmp)

        rc, out, err = lint(binary, tmp, "--format", "github", *ORDER)
        check(rc == 3, "lint --format github: exit %d, expected 3\n%s" % (rc, err))
        if out != EXPECTED_GITHUB:
            diff = difflib.unified_diff(EXPECTED_GITHUB.splitlines(True), out.splitlines(True),
                                        "expected", "thaiyyal lint --format github")
            failures.append("github annotations differ:\n" + "".join(diff))

        for fmt in ("junit", "checkstyle"):
            rc, out, err = lint(binary, tmp, "--format", fmt, *ORDER)
            check(rc == 3, "lint --format %s: exit %d, expected 3\n%s" % (fmt, rc, err))
            check_xml(fmt, out)

        rc, out, err = lint(binary, tmp, "--format", "json", *ORDER)
        try:
            summary = json.loads(out)["summary"]
            want = {"files": len(ORDER), "errors": LOAD_ERRORS, "warnings": FINDINGS - LOAD_ERRORS,
                    "infos": 0, "suppressed": 0}
            check(summary == want, "json summary %r, expected %r" % (summary, want))
        except (ValueError, KeyError) as e:
            failures.append("lint --format json: %s\n%s" % (e, out))

        rc, out, err = lint(binary, tmp, "--color", "never", *ORDER)
        last = out.splitlines()[-1] if out else ""
        want = "7 files linted: 2 errors, 6 warnings, 0 info"
        check(last == want, "text summary %r, expected %r" % (last, want))

    for f in failures:
        print("FAIL", f)
    if not failures:
        print("ok: sarif (schema-valid), github, junit, checkstyle, json and text reports")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
