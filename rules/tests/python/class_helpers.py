import html
import os
import sqlite3

from flask import Flask, request, session

app = Flask(__name__)
FEATURE_ENABLED = False


class QueryBuilder:
    def __init__(self, table):
        self.table = table

    def where_name(self, name):
        return "SELECT * FROM %s WHERE name = '%s'" % (self.table, name)

    def where_fixed(self, name):
        return "SELECT * FROM %s WHERE name = 'admin'" % self.table


class Runner:
    def run(self, cmd):
        # ruleid: command-injection
        os.system(cmd)


@app.route("/a")
def a():
    name = request.args.get("name")
    qb = QueryBuilder("users")
    db = sqlite3.connect("x.db")
    # ruleid: sql-injection
    db.execute(qb.where_name(name))
    # ok: sql-injection
    db.execute(qb.where_fixed(name))
    Runner().run("echo " + html.escape(name))
    if FEATURE_ENABLED:
        # ok: command-injection
        os.system("echo " + name)
    joined = " ".join(["echo", name.replace("'", "")])
    # ruleid: command-injection
    os.system(joined)
    # ruleid: trust-boundary-violation
    session["who"] = name
    # ok: trust-boundary-violation
    session["who"] = "guest"
    return "ok"
