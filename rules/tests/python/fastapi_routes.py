import os
import sqlite3

from fastapi import Depends, FastAPI, Header, Query, Request
from fastapi.responses import HTMLResponse

api = FastAPI()


def get_db():
    return sqlite3.connect("app.db")


@api.get("/items/{item_id}")
def read_item(item_id: str, q: str = None, db=Depends(get_db)):
    # ruleid: command-injection
    os.system("grep " + item_id + " /srv/items.txt")
    # ruleid: sql-injection
    db.execute("SELECT * FROM items WHERE q = '" + q + "'")
    # ok: sql-injection
    db.execute("SELECT * FROM items WHERE q = ?", (q,))
    return {"item_id": item_id}


@api.get("/count/{n}")
def count(n: int, db=Depends(get_db)):
    # ok: sql-injection
    db.execute("SELECT * FROM items LIMIT " + str(n))
    return {"n": n}


@api.get("/agent")
def agent(user_agent: str = Header(None), term: str = Query("")):
    # ruleid: command-injection
    os.system("logger " + user_agent)
    # ruleid: command-injection
    os.system("logger " + term)
    return {}


def helper(name):
    # ok: command-injection
    os.system("echo " + name)  # not a route: its callers decide


@api.get("/helper")
def call_helper():
    helper("constant")
    return {}


@api.get("/go")
def go(target: str = Query("/")):
    from fastapi.responses import RedirectResponse
    if target.startswith("/account/"):
        # ok: open-redirect
        return RedirectResponse("/account/home")
    # ruleid: open-redirect
    return RedirectResponse(url=target)


@api.get("/page")
def page(title: str = Query("")):
    # ruleid: xss
    return HTMLResponse(content="<h1>" + title + "</h1>")


@api.get("/echo")
def echo(text: str = Query("")):
    # ok: xss
    return "You said: " + text


@api.get("/echo-page", response_class=HTMLResponse)
def echo_page(text: str = Query("")):
    # ruleid: xss
    return HTMLResponse("<p>You said: " + text + "</p>")


@api.get("/echo-html", response_class=HTMLResponse)
def echo_html(text: str = Query("")):
    # ruleid: xss
    return "<p>You said: " + text + "</p>"


@api.post("/restore")
async def restore(request: Request):
    import pickle
    blob = await request.body()
    # ruleid: unsafe-deserialization
    state = pickle.loads(blob)
    form = await request.form()
    upload = form["file"]
    # ruleid: path-traversal
    with open("/srv/uploads/" + upload.filename, "wb") as out:
        out.write(b"")
    # ok: path-traversal
    with open("/srv/uploads/latest.bin", "wb") as out:
        out.write(b"")
    return {"ok": bool(state)}
