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


def update_review():
    payload = request.get_json()
    review_id = payload["id"]
    # ruleid: nosql-injection
    db.reviews.delete_one({"_id": review_id})
    if not isinstance(review_id, str):
        return {"error": "bad id"}, 400
    # ok: nosql-injection
    db.reviews.update_one({"_id": review_id}, {"$set": {"message": payload["message"]}})
    # ruleid: nosql-injection
    db.reviews.update_one({"_id": review_id}, payload["changes"])
    count = payload["count"]
    if isinstance(count, (int, float)):
        # ok: nosql-injection
        db.reviews.find_one({"count": count})
    return {"ok": True}


def search():
    term = request.args.get("q", "")
    # str.find on text is not a query.
    # ok: nosql-injection
    return str("abc".find(term))
