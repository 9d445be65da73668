# pymongo queries built from request values that may be dicts.
from flask import request
from pymongo import MongoClient

db = MongoClient().app


def login():
    payload = request.get_json()
    # ruleid: nosql-injection
    user = db.users.find_one({"name": payload["name"], "password": payload["password"]})
    # ok: nosql-injection
    checked = db.users.find_one({"name": str(payload["name"]), "password": str(payload["password"])})
    # Query arguments are strings.
    # ok: nosql-injection
    by_arg = db.users.find_one({"name": request.args.get("name")})
    # ruleid: nosql-injection
    listed = list(db.users.find({"tags": payload["tags"]}))
    return {"ok": bool(user or checked or by_arg or listed)}


def search():
    term = request.args.get("q", "")
    # str.find on text is not a query.
    # ok: nosql-injection
    return str("abc".find(term))
