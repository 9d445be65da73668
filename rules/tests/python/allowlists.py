# Membership in the program's own collections validates a value; membership
# in request data does not.
import os
import re

from urllib.parse import urlparse

from flask import abort, redirect, request

ALLOWED_COMMANDS = {"ls", "uptime"}
SETTINGS = {"modes": ("fast", "slow")}


def run_checked():
    cmd = request.args.get("cmd", "")
    if cmd not in ALLOWED_COMMANDS:
        abort(400)
    # ok: command-injection
    os.system(cmd)


def run_in_branch():
    cmd = request.args.get("cmd", "")
    if cmd in ALLOWED_COMMANDS:
        # ok: command-injection
        os.system(cmd)
    # ruleid: command-injection
    os.system(cmd)


def run_against_request():
    cmd = request.args.get("cmd", "")
    if cmd in request.args:
        # ruleid: command-injection
        os.system(cmd)
    names = request.args.getlist("names")
    if cmd in names:
        # ruleid: command-injection
        os.system(cmd)


def run_against_argument(allowed):
    cmd = request.args.get("cmd", "")
    if cmd in allowed:
        # ruleid: command-injection
        os.system(cmd)


def run_stripped():
    # Deleting every character outside letters, digits, '_' and '-' leaves
    # nothing to inject; keeping '.' and '/' leaves a path.
    name = re.sub(r"[^\w-]", "", request.args.get("name", ""))
    # ok: command-injection
    os.system("convert " + name)
    path = re.sub(r"[^\w./-]", "", request.args.get("path", ""))
    # ruleid: path-traversal
    open(path)


# Checks the project writes itself: what they prove where they returned
# true (or false) holds at the call, for the kinds they prove only.
def is_allowed_command(cmd):
    return cmd in ALLOWED_COMMANDS


def is_local_url(url):
    parsed = urlparse(url)
    return parsed.netloc in ("", "example.com")


def has_bad_chars(name):
    if name.isalnum():
        return False
    return True


def run_helper_checked():
    cmd = request.args.get("cmd", "")
    if is_allowed_command(cmd):
        # ok: command-injection
        os.system(cmd)
    # ruleid: command-injection
    os.system(cmd)


def redirect_helper_checked():
    nxt = request.args.get("next", "/")
    if not is_local_url(nxt):
        abort(400)
    # ok: open-redirect
    redirect(nxt)
    # A host check is no command check.
    # ruleid: command-injection
    os.system(nxt)


def run_inverted_check():
    name = request.args.get("name", "")
    if has_bad_chars(name):
        abort(400)
    # ok: command-injection
    os.system("echo " + name)
