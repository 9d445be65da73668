"""Flows through attributes, allowlist checks and callbacks."""
import re
import sqlite3
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)


class Exporter:
    def __init__(self):
        self.fmt = "csv"

    def configure(self):
        self.target = request.args.get("target")

    def export(self):
        # ruleid: command-injection
        subprocess.run("export --to " + self.target, shell=True)
        # ok: command-injection
        subprocess.run("export --format " + self.fmt, shell=True)


@app.route("/report")
def report():
    db = sqlite3.connect("app.db")
    order = request.args.get("order", "asc")
    if order in ("asc", "desc"):
        # ok: sql-injection
        db.execute("SELECT * FROM t ORDER BY id " + order)
    else:
        # ruleid: sql-injection
        db.execute("SELECT * FROM t ORDER BY id " + order)
    if order not in ["asc", "desc"]:
        return "bad order", 400
    # ok: sql-injection
    db.execute("SELECT * FROM t ORDER BY id " + order)

    kind = request.args.get("kind")
    if kind == "daily" or kind == "weekly":
        # ok: sql-injection
        db.execute("SELECT * FROM " + kind)
    if kind != "daily" and len(kind) > 2:
        # ruleid: sql-injection
        db.execute("SELECT * FROM " + kind)

    slug = request.args.get("slug")
    if not re.fullmatch(r"[a-z0-9_]+", slug):
        return "bad slug", 400
    # ok: command-injection
    subprocess.run("git show " + slug, shell=True)

    path = request.args.get("path")
    if re.fullmatch(r"[a-z0-9_./]+", path):
        # ruleid: command-injection
        subprocess.run("cat " + path, shell=True)
    if re.match(r"[a-z]+", path):
        # ruleid: command-injection
        subprocess.run("ls " + path, shell=True)
    if re.match(r"[a-z]+\Z", path):
        # ok: command-injection
        subprocess.run("ls " + path, shell=True)
    return "ok"


@app.route("/batch")
def batch():
    hosts = request.args.getlist("host")
    # ruleid: command-injection
    list(map(lambda h: subprocess.run("ping -c1 " + h, shell=True), hosts))
    fixed = ["a.example", "b.example"]
    # ok: command-injection
    list(map(lambda h: subprocess.run("ping -c1 " + h, shell=True), fixed))
    return "ok"


@app.route("/archive")
def archive():
    name = request.args.get("name", "")
    if name not in ("daily", "weekly"):
        abort(400)
    # ok: command-injection
    subprocess.run("archive " + name, shell=True)
    label = request.args.get("label", "")
    if not re.fullmatch(r"\w+", label):
        raise ValueError("bad label")
    # ok: command-injection
    subprocess.run("archive --label " + label, shell=True)
    try:
        if label != "x":
            raise ValueError("caught below")
    except ValueError:
        pass
    # ruleid: command-injection
    subprocess.run("archive --label " + name + request.args.get("extra", ""), shell=True)
    # ok: xss
    return {"name": name, "label": request.args.get("label")}


@app.route("/echo")
def echo():
    # ruleid: xss
    return "<p>" + request.args.get("q", "") + "</p>"
