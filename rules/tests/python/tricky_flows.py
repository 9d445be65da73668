import base64
import html
import os
import shlex
import sqlite3
import subprocess
import urllib.parse

from flask import Flask, request, make_response, redirect

import helpers_mod
from helpers_mod import passthrough, constant_out

app = Flask(__name__)


def build_query(value):
    parts = ["SELECT * FROM users WHERE name = '", value, "'"]
    return "".join(parts)


def fixed(value):
    value = "bob"
    return value


@app.route("/q")
def query():
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    name = request.args.get("name", "")
    # ruleid: sql-injection
    cur.execute(build_query(name))
    # ok: sql-injection
    cur.execute(build_query(fixed(name)))
    # ok: sql-injection
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ruleid: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
    # ruleid: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '{}'".format(name))
    # ruleid: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '{n}'".format(n=name.strip().lower()))

    decoded = base64.b64decode(name).decode("utf-8")
    # ruleid: sql-injection
    cur.execute(f"SELECT * FROM users WHERE name = '{decoded}'")

    unq = urllib.parse.unquote(name)
    # ruleid: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + unq + "'")

    words = name.split(",")
    # ruleid: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + words[0] + "'")

    d = {"safe": "constant", "bad": name}
    # ok: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + d["safe"] + "'")
    # ruleid: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + d["bad"] + "'")

    items = ["a", name, "b"]
    items.pop(1)
    # ok: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + items[1] + "'")

    if 3 * 7 > 100:
        target = name
    else:
        target = "static"
    # ok: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + target + "'")

    pick = name if 2 + 2 == 5 else "static"
    # ok: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + pick + "'")

    num = int(name)
    # ok: sql-injection
    cur.execute("SELECT * FROM users WHERE id = %d" % num)

    via_mod = helpers_mod.passthrough(name)
    # ruleid: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + via_mod + "'")
    via_imp = passthrough(name)
    # ruleid: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + via_imp + "'")
    const_imp = constant_out(name)
    # ok: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + const_imp + "'")

    escaped = html.escape(name)
    # ruleid: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + escaped + "'")
    return "ok"


@app.route("/cmd", methods=["POST"])
def command():
    host = request.form["host"]
    # ruleid: command-injection
    os.system("ping -c 1 " + host)
    # ok: command-injection
    os.system("ping -c 1 " + shlex.quote(host))
    # ok: command-injection
    subprocess.run(["ping", "-c", "1", host])
    # ruleid: command-injection
    subprocess.run("ping -c 1 %s" % host, shell=True)
    # ok: command-injection
    subprocess.run("ping -c 1 %s" % shlex.quote(host), shell=True)
    args = "nslookup {}".format(host)
    # ruleid: command-injection
    subprocess.Popen(args, shell=True)
    return "done"


@app.route("/cmd-checked", methods=["POST"])
def command_checked():
    count = request.form["count"]
    if not count.isdigit():
        return "bad count", 400
    # ok: command-injection
    os.system("ping -c " + count + " localhost")
    host = request.form["host"]
    if host.isalnum() or len(host) > 3:
        # ruleid: command-injection
        os.system("ping -c 1 " + host)
    return "done"


@app.route("/page")
def page():
    who = request.cookies.get("who", "")
    # ruleid: xss
    return "<h1>Hello " + who + "</h1>"


@app.route("/page2")
def page2():
    who = request.headers.get("X-Who", "")
    # ok: xss
    return "<h1>Hello " + html.escape(who) + "</h1>"


@app.route("/page3")
def page3():
    who = request.values.get("who")
    # ruleid: xss
    resp = make_response("<p>%s</p>" % who)
    # ruleid: xss
    resp2 = make_response("<p>" + who + "</p>")
    return resp2


@app.route("/file")
def read_file():
    name = request.args.get("f")
    # ruleid: path-traversal
    with open(os.path.join("/srv/data", name)) as fh:
        data = fh.read()
    # ok: path-traversal
    with open(os.path.join("/srv/data", os.path.basename(name))) as fh:
        data += fh.read()
    return data


@app.route("/go")
def go():
    nxt = request.args.get("next", "/")
    # ruleid: open-redirect
    return redirect(nxt)


@app.route("/go2")
def go2():
    # ok: open-redirect
    return redirect("/home")


async def run_async(request):
    import asyncio

    target = request.GET.get("host", "")
    # ruleid: command-injection
    await asyncio.create_subprocess_shell("ping -c 1 " + target)
    # ok: command-injection
    await asyncio.create_subprocess_exec("ping", "-c", "1", target)


def extended_list():
    parts = ["echo"]
    parts.extend(request.args.getlist("p"))
    # ruleid: command-injection
    os.system(" ".join(parts))
    fixed = ["echo"]
    fixed.extend(["a", "b"])
    # ok: command-injection
    os.system(" ".join(fixed))


def remote_command(client):
    # paramiko runs the text in the remote user's shell.
    # ruleid: command-injection
    client.exec_command("tail -n 20 /var/log/" + request.args.get("log", ""))
    # ok: command-injection
    client.exec_command("uptime")


def skip_bad_names():
    # `continue` skips the rest of the iteration: after it, the name is checked.
    for name in request.args.getlist("f"):
        if ".." in name or "/" in name:
            continue
        # ok: path-traversal
        open(os.path.join("/srv/files", name)).close()
    for name in request.args.getlist("g"):
        if ".." in name:
            continue
        # ruleid: path-traversal
        open(os.path.join("/srv/files", name)).close()


@app.route("/nested-helper")
def nested_helper():
    name = request.args.get("name", "")

    def greeting():
        return "<p>Hello " + name + "</p>"

    def fixed_greeting():
        return "<p>Hello visitor</p>"

    def run(cmd, quiet=False):
        # ruleid: command-injection
        os.system(cmd)

    def run_fixed(cmd, label=""):
        # ok: command-injection
        os.system(cmd)

    run("ls " + name, quiet=True)
    run_fixed("ls", label=name)
    if name:
        # ruleid: xss
        return greeting()
    # ok: xss
    return fixed_greeting()


@app.route("/digits-only")
def digits_only():
    raw = request.args.get("code", "")
    digits = "".join(ch for ch in raw if ch.isdigit())
    # ok: command-injection
    os.system("lookup " + digits)
    words = [w for w in raw.split(",") if w]
    # ruleid: command-injection
    os.system("lookup " + words[0])
    return "ok"


@app.route("/named-format")
def named_format():
    fields = {"user": request.args.get("user", ""), "table": "accounts"}
    con = sqlite3.connect("app.db")
    # ok: sql-injection
    con.execute("SELECT * FROM %(table)s" % fields)
    # ruleid: sql-injection
    con.execute("SELECT * FROM %(table)s WHERE name = '%(user)s'" % fields)
    return "ok"
