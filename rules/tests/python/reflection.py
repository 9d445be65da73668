import importlib

from flask import Flask, abort, request

app = Flask(__name__)

EXPORTERS = {"csv": "exporters.csv", "json": "exporters.json"}


@app.route("/export")
def export():
    name = request.args.get("module", "")
    # ruleid: unsafe-reflection
    module = importlib.import_module(name)
    chosen = EXPORTERS.get(request.args.get("format", ""))
    if chosen is None:
        abort(400)
    # ok: unsafe-reflection
    safe = importlib.import_module(chosen)
    module.run()
    safe.run()
    return "started"
