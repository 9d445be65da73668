# Membership in the program's own collections validates a value; membership
# in request data does not.
import os

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
