import sqlite3
import subprocess

from flask import Flask, request

app = Flask(__name__)


class Report:
    """Stores its inputs in __init__; its methods use them later."""

    def __init__(self, term, table="reports"):
        self.term = term
        self.table = table

    def run(self, cur):
        # ruleid: sql-injection
        cur.execute("SELECT * FROM " + self.table + " WHERE t = '" + self.term + "'")

    def count(self, cur):
        # ok: sql-injection
        cur.execute("SELECT count(*) FROM " + self.table)


class Pinger:
    def __init__(self):
        self.host = "localhost"

    def set_host(self, host):
        self.host = host

    def ping(self):
        # ruleid: command-injection
        subprocess.call("ping -c 1 " + self.host, shell=True)

    def ping_gateway(self):
        # ok: command-injection
        subprocess.call("ping -c 1 " + self.gateway(), shell=True)

    def gateway(self):
        return "192.0.2.1"


@app.route("/report")
def report():
    cur = sqlite3.connect("app.db").cursor()
    r = Report(request.args.get("term", ""))
    r.run(cur)
    r.count(cur)
    p = Pinger()
    p.ping_gateway()
    p.set_host(request.args.get("host", ""))
    p.ping()
    return "ok"


@app.route("/session")
def remember():
    import hashlib

    from flask import session

    name = request.args.get("name", "")
    # ok: trust-boundary-violation
    session["name_hash"] = hashlib.sha256(name.encode()).hexdigest()
    # ruleid: trust-boundary-violation
    session["name"] = name
    return "ok"
