import html
import logging
import os
import pickle
import sqlite3
import subprocess

import requests
import yaml
from flask import Flask, redirect, request, send_file, send_from_directory, session
from werkzeug.utils import safe_join, secure_filename

app = Flask(__name__)
log = logging.getLogger(__name__)


def passthrough(value):
    return value


def constant(value):
    return "fixed"


def run_query(cur, text):
    # ruleid: sql-injection
    cur.execute(text)


@app.route("/users")
def users():
    name = request.args.get("name")
    cur = sqlite3.connect("app.db").cursor()
    # ruleid: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '" + name + "'")
    # ok: sql-injection
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    # ruleid: sql-injection
    cur.execute(f"SELECT * FROM users WHERE name = '{passthrough(name)}'")
    # ok: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '%s'" % constant(name))
    # html escaping does not make a value safe for SQL
    # ruleid: sql-injection
    cur.execute("SELECT * FROM users WHERE name = '%s'" % html.escape(name))
    # ok: sql-injection
    cur.execute("SELECT * FROM users WHERE id = %d" % int(name))
    run_query(cur, "SELECT 1 WHERE x = " + name)
    return "ok"


@app.route("/run")
def run():
    cmd = request.form["cmd"]
    opts = {}
    opts["safe"] = "ls -l"
    opts["user"] = cmd
    # ok: command-injection
    os.system(opts["safe"])
    # ruleid: command-injection
    os.system(opts["user"])
    # ruleid: command-injection
    subprocess.call(cmd, shell=True)
    # ok: command-injection
    subprocess.call(["ls", cmd])
    # ruleid: command-injection
    subprocess.call(["/bin/sh", "-c", "ls " + cmd])
    mode = "prod"
    if mode == "debug":
        # ok: command-injection
        os.system(cmd)
    items = []
    items.append("uptime")
    items.append(cmd)
    # ok: command-injection
    os.system(items[0])
    # ruleid: command-injection
    os.system(items[1])
    return "done"


@app.route("/file")
def read_file():
    name = request.args["name"]
    # ruleid: path-traversal
    with open("/srv/files/" + name) as f:
        data = f.read()
    # ok: path-traversal
    with open(os.path.join("/srv/files", os.path.basename(name))) as f:
        data = f.read()
    # ok: path-traversal
    with open(safe_join("/srv/files", name)) as f:
        data = f.read()
    # ruleid: path-traversal
    with open(os.path.join("/srv/files", html.escape(name))) as f:
        data = f.read()
    return data


@app.route("/hello")
def hello():
    name = request.args.get("name", "")
    if name == "admin":
        # ok: xss
        return "<p>hello " + html.escape(name) + "</p>"
    if name.startswith("guest"):
        # ok: xss
        return "<p>hello " + name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</p>"
    if name.startswith("user"):
        # ruleid: xss
        return "<p>hello " + name.replace("\n", " ") + "</p>"
    # ruleid: xss
    return "<p>hello " + name + "</p>"


@app.route("/fetch")
def fetch():
    url = request.args["url"]
    # ruleid: ssrf
    requests.get(url, timeout=5)
    # ok: ssrf
    requests.get("https://api.example.com/status", timeout=5)
    # ruleid: open-redirect
    redirect(url)
    # ok: open-redirect
    redirect("/home")
    return "ok"


@app.route("/calc")
def calc():
    expr = request.args["expr"]
    # ruleid: code-injection
    result = eval(expr)
    # ok: code-injection
    result = eval("1 + 2")
    body = request.get_data()
    # ruleid: unsafe-deserialization
    obj = pickle.loads(body)
    # ok: unsafe-deserialization
    conf = yaml.load(body, Loader=yaml.SafeLoader)
    # ruleid: unsafe-deserialization
    conf = yaml.load(body)
    role = request.args["role"]
    # ruleid: trust-boundary-violation
    session["role"] = role
    # ok: trust-boundary-violation
    session["role"] = "user"
    # ruleid: log-injection
    log.info("user " + role)
    # ok: log-injection
    log.info("user " + role.replace("\n", ""))
    return str(result)


@app.route("/download")
def download_report():
    name = request.args.get("name", "")
    # ruleid: path-traversal
    response = send_file(name)
    # ok: xss
    return response


@app.route("/lookup")
def lookup():
    term = request.args.get("term", "")
    # ok: ssrf
    requests.get(f"https://api.example.com/lookup?term={term}")
    # ok: ssrf
    requests.get("https://api.example.com/lookup?term=%s" % term)
    # ruleid: ssrf
    requests.get(f"https://{term}.example.com/lookup")
    # ruleid: ssrf
    requests.get("https://api.example.com@%s/" % term)
    # ok: open-redirect
    return redirect("/results?term=" + term)


@app.route("/hello/<name>")
def hello_path(name):
    # ruleid: xss
    return "<h1>Hello " + name + "</h1>"


@app.route("/order/<int:order_id>")
def order_path(order_id):
    # ok: xss
    return "<h1>Order " + str(order_id) + "</h1>"


FILES_ROOT = "/srv/files"


@app.route("/files/checked")
def files_checked():
    name = request.args.get("f", "")
    full = os.path.realpath(os.path.join(FILES_ROOT, name))
    if not full.startswith(FILES_ROOT + os.sep):
        return "bad path", 400
    # ok: path-traversal
    return open(full).read()


@app.route("/files/resolved-only")
def files_resolved_only():
    name = request.args.get("f", "")
    full = os.path.realpath(FILES_ROOT + "/" + name)
    # ruleid: path-traversal
    return open(full).read()


@app.route("/files/naive")
def files_naive():
    name = request.args.get("f", "")
    if name.startswith(FILES_ROOT):
        # ruleid: path-traversal
        return open(name).read()
    return ""


@app.route("/greeting")
def greeting():
    import jinja2
    from django.template import Template, Context

    name = request.args.get("name", "")
    env = jinja2.Environment(autoescape=True)
    # ruleid: code-injection
    env.from_string("Hello " + name).render()
    # ok: code-injection
    env.from_string("Hello {{ name }}").render(name=name)
    # ruleid: code-injection
    Template("<p>" + name + "</p>").render(Context({}))
    return "ok"


@app.route("/exec")
def exec_vector():
    host = request.args.get("host", "")
    # An argument vector for a fixed program: no shell parses it.
    # ok: command-injection
    os.execvp("ping", ["ping", "-c", "1", host])
    # ruleid: command-injection
    os.execv("/bin/sh", ["sh", "-c", "ping " + host])
    # ruleid: command-injection
    os.execvp(host, [host])


@app.route("/static-file")
def static_file():
    # send_from_directory refuses names that leave the directory.
    # ok: path-traversal
    return send_from_directory("/srv/static", request.args.get("name", ""))


ALLOWED_ORIGINS = {"https://app.example.com"}


@app.after_request
def cors_headers(resp):
    origin = request.headers.get("Origin", "")
    # ruleid: cors-origin-reflection
    resp.headers["Access-Control-Allow-Origin"] = origin
    if origin in ALLOWED_ORIGINS:
        # ok: cors-origin-reflection
        resp.headers["Access-Control-Allow-Origin"] = origin
    # ok: cors-origin-reflection
    resp.headers["Access-Control-Allow-Methods"] = request.headers.get("Access-Control-Request-Method", "")
    return resp


@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["file"]
    # ruleid: path-traversal
    f.save(os.path.join("/srv/uploads", f.filename))
    # ok: path-traversal
    f.save(os.path.join("/srv/uploads", secure_filename(f.filename)))
    return "ok"


@app.route("/run-script")
def run_script():
    script = request.args.get("script", "")
    argv = ["sh", "-c", "echo " + script]
    # ruleid: command-injection
    subprocess.run(argv)
    plain = ["echo", script]
    # ok: command-injection
    subprocess.run(plain)
    return "ok"


@app.route("/late-body")
def late_body():
    from flask import make_response
    note = request.args.get("note", "")
    resp = make_response()
    # ruleid: xss
    resp.set_data("<p>" + note + "</p>")
    # ok: xss
    resp.set_data("<p>" + html.escape(note) + "</p>")
    return resp


@app.get("/echo-flask")
def echo_flask():
    text = request.args.get("text", "")
    # ruleid: xss
    return "You said: " + text


@app.route("/page-of")
def page_of():
    size = request.args.get("size", "10")
    con = sqlite3.connect("app.db")
    # ok: sql-injection
    con.execute("SELECT * FROM items LIMIT %d" % size)
    # ok: sql-injection
    con.execute("SELECT * FROM items WHERE score > %(min)05.2f LIMIT 10 -- 100%%" % {"min": size})
    # ruleid: sql-injection
    con.execute("SELECT * FROM items LIMIT %d OFFSET %s" % (10, size))
    return "ok"
