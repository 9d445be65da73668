# Membership in the program's own collections validates a value; membership
# in request data does not.
import os
import re

from flask import abort, request

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
