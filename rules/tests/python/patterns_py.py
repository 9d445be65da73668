import hashlib
import hmac
import os
import re
import random
import secrets
import ssl

import jwt
import requests
from django.views.decorators.csrf import csrf_exempt
from flask import Flask, make_response
from flask_cors import CORS

app = Flask(__name__)
# ruleid: cors-wildcard-credentials
CORS(app, supports_credentials=True)
# ok: cors-wildcard-credentials
CORS(app, origins=["https://app.example.com"], supports_credentials=True)

# ruleid: debug-enabled
DEBUG = True
# ok: debug-enabled
TEMPLATE_DEBUG_NAME = "x"

# ruleid: hardcoded-secret
SECRET_KEY = "9f8a7sdf98a7sdf98a7sdf"
# ok: hardcoded-secret
SECRET_KEY_ENV = "SECRET_KEY"
# ok: hardcoded-secret
password = ""


def sign_token(claims, data):
    # ruleid: hardcoded-crypto-key
    token = jwt.encode(claims, "pa4qacea4VK9t9nGv7yZtwmj", algorithm="HS256")
    # ok: hardcoded-crypto-key
    token2 = jwt.encode(claims, os.environ["JWT_KEY"], algorithm="HS256")
    # ruleid: hardcoded-crypto-key
    mac = hmac.new(b"k3y-material-here", data, hashlib.sha256)
    # ok: hardcoded-crypto-key
    mac2 = hmac.new(os.environb[b"MAC_KEY"], data, hashlib.sha256)
    # The literal as bytes is still the literal.
    # ruleid: hardcoded-crypto-key
    mac3 = hmac.new("k3y-material-here".encode("utf-8"), data, hashlib.sha256)
    # ok: hardcoded-crypto-key
    mac4 = hmac.new(os.environ["MAC_KEY"].encode("utf-8"), data, hashlib.sha256)
    return token, token2, mac, mac2, mac3, mac4


def digest(data):
    # ruleid: weak-hash
    a = hashlib.md5(data).hexdigest()
    # ok: weak-hash
    b = hashlib.md5(data, usedforsecurity=False).hexdigest()
    # ruleid: weak-hash
    c = hashlib.new("sha1", data)
    # ok: weak-hash
    d = hashlib.sha256(data).hexdigest()
    return a, b, c, d


def library_digests(data):
    from cryptography.hazmat.primitives import hashes
    from Crypto.Hash import MD5, SHA256
    # ruleid: weak-hash
    h = hashes.Hash(hashes.MD5())
    # ok: weak-hash
    h2 = hashes.Hash(hashes.SHA256())
    # ruleid: weak-hash
    h3 = MD5.new(data)
    # ok: weak-hash
    h4 = SHA256.new(data)
    return h, h2, h3, h4


def token():
    # ruleid: insecure-random
    weak = random.randint(0, 1 << 30)
    # ok: insecure-random
    strong = secrets.token_urlsafe(32)
    return weak, strong


def fetch(url):
    # ruleid: tls-verification-disabled
    requests.get(url, verify=False, timeout=5)
    # ok: tls-verification-disabled
    requests.get(url, timeout=5)
    # ruleid: tls-verification-disabled
    ctx = ssl._create_unverified_context()
    loose = ssl.create_default_context()
    # ruleid: tls-verification-disabled
    loose.check_hostname = False
    strict = ssl.create_default_context()
    # ok: tls-verification-disabled
    strict.check_hostname = True
    # ruleid: tls-verification-disabled
    loose.verify_mode = ssl.CERT_NONE
    # ok: tls-verification-disabled
    strict.verify_mode = ssl.CERT_REQUIRED
    return ctx, loose, strict


def claims(token_text, key):
    # ruleid: jwt-not-verified
    a = jwt.decode(token_text, options={"verify_signature": False})
    # ok: jwt-not-verified
    b = jwt.decode(token_text, key, algorithms=["ES256"])
    # ruleid: jwt-not-verified
    c = jwt.decode(token_text, key, algorithms=["HS256", "none"])
    return a, b


# ruleid: csrf-protection-disabled
@csrf_exempt
def webhook(request):
    resp = make_response("ok")
    # ruleid: cookie-without-secure
    resp.set_cookie("session", "v")
    # ok: cookie-without-secure
    resp.set_cookie("session", "v", secure=True, httponly=True)
    return resp


# Settings modules (Django, Flask-Login): cookies for every response.
# ruleid: cookie-without-secure
SESSION_COOKIE_SECURE = False
# ruleid: cookie-without-secure
CSRF_COOKIE_SECURE = False
# ok: cookie-without-secure
SESSION_COOKIE_HTTPONLY = True


def connect(db):
    # ruleid: hardcoded-secret
    return db.connect(host="db", password="hunter2hunter2")


if __name__ == "__main__":
    # ok: debug-enabled
    app.run(debug=False)


def templates(loader):
    import jinja2
    # ruleid: template-autoescape-off
    plain = jinja2.Environment(loader=loader)
    # ruleid: template-autoescape-off
    off = jinja2.Environment(loader=loader, autoescape=False)
    # ok: template-autoescape-off
    on = jinja2.Environment(loader=loader, autoescape=True)
    # ok: template-autoescape-off
    chosen = jinja2.Environment(loader=loader, autoescape=jinja2.select_autoescape(["html"]))
    return plain, off, on, chosen


def redos_patterns(text):
    # ruleid: regex-redos
    words = re.compile(r"^(\w+\s?)*$")
    # ok: regex-redos
    words_fixed = re.compile(r"^\w+(?:\s\w+)*$")
    # ruleid: regex-redos
    number = re.match(r"^(\d+\.?)+$", text)
    # ok: regex-redos
    csv = re.fullmatch(r"(\d+,)*\d+", text)
    return words, words_fixed, number, csv
