# Checks that pin a URL's host or keep a redirect on the site.
from urllib.parse import urlparse

import requests
from flask import abort, redirect, request

ALLOWED_HOSTS = {"api.example.com", "cdn.example.com"}


def fetch_checked():
    url = request.args.get("url", "")
    if urlparse(url).hostname not in ALLOWED_HOSTS:
        abort(400)
    # ok: ssrf
    return requests.get(url).text


def fetch_compared():
    url = request.args.get("url", "")
    parts = urlparse(url)
    if parts.netloc == "api.example.com":
        # ok: ssrf
        requests.get(parts.geturl())
        # ok: ssrf
        requests.get(url)
    # ruleid: ssrf
    return requests.get(url).text


def fetch_reparsed():
    url = request.args.get("url", "")
    parts = urlparse(url)
    parts = urlparse("https://api.example.com/")
    if parts.netloc == "api.example.com":
        # The checked copy is no longer url's.
        # ruleid: ssrf
        requests.get(url)
    return "x"


def fetch_path_checked():
    url = request.args.get("url", "")
    if urlparse(url).path == "/status":
        # ruleid: ssrf
        requests.get(url)
    return "x"


def next_page():
    nxt = request.args.get("next", "/")
    if not nxt.startswith("/") or nxt.startswith("//"):
        nxt = "/"
    # ok: open-redirect
    return redirect(nxt)


def next_page_half_checked():
    nxt = request.args.get("next", "/")
    if nxt.startswith("/"):
        # "//evil.example" starts with "/" too.
        # ruleid: open-redirect
        return redirect(nxt)
    return redirect("/")


def fetch_host_copy():
    url = request.args.get("url", "")
    host = urlparse(url).hostname
    if host not in ALLOWED_HOSTS:
        abort(400)
    # ok: ssrf
    return requests.get(url).text


def fetch_host_copy_of_another():
    url = request.args.get("url", "")
    other = request.args.get("other", "")
    host = urlparse(other).hostname
    if host not in ALLOWED_HOSTS:
        abort(400)
    # The check was on another URL's host.
    # ruleid: ssrf
    return requests.get(url).text


def go():
    to = request.args.get("to", "")
    if to.startswith(("https://github.com/example/", "https://docs.example.com/")):
        # ok: open-redirect
        return redirect(to)
    if to.startswith(("https://github.com/example/", "https://")):
        # ruleid: open-redirect
        return redirect(to)
    if to.startswith("https://github.com"):
        # ruleid: open-redirect
        return redirect(to)
    return redirect("/")


TRUSTED_PREFIXES = ("https://github.com/example/", "https://docs.example.com/")
LOOSE_PREFIXES = ["https://github.com/example/", "https://docs.example.com"]


def trusted_target(url):
    for prefix in TRUSTED_PREFIXES:
        if url.startswith(prefix):
            return True
    return False


def loosely_trusted_target(url):
    for prefix in LOOSE_PREFIXES:
        if url.startswith(prefix):
            return True
    return False


def go_checked():
    to = request.args.get("to", "")
    if trusted_target(to):
        # ok: open-redirect
        return redirect(to)
    if loosely_trusted_target(to):
        # "https://docs.example.com.evil.example/" passes the second prefix.
        # ruleid: open-redirect
        return redirect(to)
    return redirect("/")


def go_any():
    to = request.args.get("to", "")
    if any(to.startswith(p) for p in TRUSTED_PREFIXES):
        # ok: open-redirect
        return redirect(to)
    if any(to.startswith(p) for p in LOOSE_PREFIXES):
        # ruleid: open-redirect
        return redirect(to)
    if any(p in to for p in TRUSTED_PREFIXES):
        # ruleid: open-redirect
        return redirect(to)
    return redirect("/")
