#!/usr/bin/env python3
"""Validates SARIF logs against the SARIF 2.1.0 JSON schema.

Usage: scripts/check-sarif.py SCHEMA.json LOG.sarif...

The schema (sarif-schema-2.1.0.json from the OASIS SARIF TC) is not kept in
this repository: pass a copy. Needs python3-jsonschema (4.x). jsonschema does
not check the "uri" and "uri-reference" formats by itself, so they are
checked here against RFC 3986 syntax (which rejects raw spaces, non-ASCII
bytes and malformed %-escapes). Not run in CI; the unit tests in
review/src/scan_test.cc check the structure consumers rely on.
Exit status: 0 when every log is valid, 1 otherwise.
"""
import json
import re
import sys

import jsonschema

_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_QUERY_OR_FRAGMENT = rf"(?:{_PCHAR}|[/?])*"
_AUTHORITY = (rf"(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?"
              rf"(?:\[[0-9A-Fa-f:.]+\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*)(?::[0-9]*)?")
_PATH_ABEMPTY = rf"(?:/{_PCHAR}*)*"
_SEGMENT_NZ_NC = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}@]|{_PCT})+"
_TAIL = rf"(?:\?{_QUERY_OR_FRAGMENT})?(?:#{_QUERY_OR_FRAGMENT})?$"
_URI = re.compile(rf"^[A-Za-z][A-Za-z0-9+\-.]*:(?://{_AUTHORITY}{_PATH_ABEMPTY}|/(?:{_PCHAR}+{_PATH_ABEMPTY})?"
                  rf"|{_PCHAR}+{_PATH_ABEMPTY}|){_TAIL}")
_RELATIVE_REF = re.compile(rf"^(?://{_AUTHORITY}{_PATH_ABEMPTY}|/(?:{_PCHAR}+{_PATH_ABEMPTY})?"
                           rf"|{_SEGMENT_NZ_NC}{_PATH_ABEMPTY}|){_TAIL}")

FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value):
    return not isinstance(value, str) or bool(_URI.match(value))


@FORMATS.checks("uri-reference")
def _is_uri_reference(value):
    return not isinstance(value, str) or bool(_URI.match(value) or _RELATIVE_REF.match(value))


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema, format_checker=FORMATS)
    status = 0
    for path in argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:  # SARIF is UTF-8 JSON
                log = json.load(f)
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            print(f"{path}: not UTF-8 JSON: {e}")
            status = 1
            continue
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        print(f"{path}: {len(errors)} schema error(s)")
        # One line per distinct (path pattern, keyword), with a count.
        groups = {}
        for e in errors:
            where = re.sub(r"/\d+", "/N", "/" + "/".join(map(str, e.absolute_path)))
            groups.setdefault((where, e.validator), [0, e.message[:200]])[0] += 1
        for (where, keyword), (count, message) in groups.items():
            print(f"  {count} x {where} [{keyword}] {message}")
        status |= bool(errors)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
