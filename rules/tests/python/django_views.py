import hashlib
import pickle
import random
import secrets
import subprocess

import yaml
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Article


def search(request):
    term = request.GET.get("q", "")
    with connection.cursor() as cursor:
        # ruleid: sql-injection
        cursor.execute("SELECT id FROM article WHERE title LIKE '%%" + term + "%%'")
        # ok: sql-injection
        cursor.execute("SELECT id FROM article WHERE title LIKE %s", ["%" + term + "%"])
    # ruleid: sql-injection
    rows = Article.objects.raw("SELECT * FROM article WHERE slug = '%s'" % term)
    # ok: sql-injection
    safe_rows = Article.objects.raw("SELECT * FROM article WHERE slug = %s", [term])
    # ruleid: xss
    return HttpResponse("<p>Results for " + term + "</p>")


def search_escaped(request):
    term = request.GET["q"]
    # ok: xss
    return HttpResponse("<p>Results for " + escape(term) + "</p>")


def go(request):
    target = request.POST.get("next")
    if target is None:
        target = "/"
    # ruleid: open-redirect
    return HttpResponseRedirect(target)


def go_home(request):
    target = request.POST.get("next")
    target = "/home"
    # ok: open-redirect
    return redirect(target)


def go_checked(request):
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(url=target, allowed_hosts={request.get_host()}):
        target = "/"
    # ok: open-redirect
    return HttpResponseRedirect(target)


def go_if_safe(request):
    target = request.GET["next"]
    if url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        # ok: open-redirect
        return redirect(target)
    # ruleid: open-redirect
    return redirect(target)


def go_checked_other(request):
    target = request.GET["next"]
    other = request.GET["other"]
    if not url_has_allowed_host_and_scheme(other, allowed_hosts=None):
        return redirect("/")
    with connection.cursor() as cursor:
        # ruleid: sql-injection
        cursor.execute("SELECT 1 FROM t WHERE u = '" + other + "'")
    # ruleid: open-redirect
    return redirect(target)


def restore(request):
    blob = request.body
    # ruleid: unsafe-deserialization
    obj = pickle.loads(blob)
    # ruleid: unsafe-deserialization
    conf = yaml.load(blob, Loader=yaml.Loader)
    # ok: unsafe-deserialization
    conf2 = yaml.load(blob, Loader=yaml.SafeLoader)
    # ok: unsafe-deserialization
    conf3 = yaml.safe_load(blob)
    return HttpResponse(str(len(str(obj))) + str(len(str(conf))) + str(conf2) + str(conf3), content_type="text/plain")


def run(request):
    name = request.COOKIES.get("tool", "ls")
    # ruleid: command-injection
    out = subprocess.check_output("which " + name, shell=True)
    # ok: command-injection
    out2 = subprocess.check_output(["which", name])
    return HttpResponse(len(out) + len(out2))


def tokens():
    # ruleid: insecure-random
    weak = random.randint(0, 10**6)
    # ok: insecure-random
    strong = secrets.randbelow(10**6)
    # ruleid: weak-hash
    digest = hashlib.md5(b"x").hexdigest()
    # ok: weak-hash
    etag = hashlib.md5(b"x", usedforsecurity=False).hexdigest()
    # ok: weak-hash
    good = hashlib.sha256(b"x").hexdigest()
    return weak, strong, digest, etag, good


def filtered(request):
    tag = request.GET.get("tag", "")
    # ruleid: sql-injection
    a = Article.objects.extra(where=["tag = '%s'" % tag])
    # ok: sql-injection
    b = Article.objects.extra(where=["tag = %s"], params=[tag])
    # ruleid: sql-injection
    c = Article.objects.annotate(hit=RawSQL("SELECT 1 WHERE tag = '" + tag + "'", []))
    # ok: sql-injection
    d = Article.objects.annotate(hit=RawSQL("SELECT 1 WHERE tag = %s", [tag]))
    return HttpResponse(str(len(a) + len(b) + len(c) + len(d)))


# Views routed in django_urls.py: the captured URL values are parameters.
def attachment(request, name):
    # ruleid: path-traversal
    with open("/srv/attachments/" + name, "rb") as fh:
        return HttpResponse(fh.read(), content_type="application/octet-stream")


def attachment_by_id(request, pk):
    # ok: path-traversal
    with open("/srv/attachments/%s.bin" % pk, "rb") as fh:
        return HttpResponse(fh.read(), content_type="application/octet-stream")


def attachment_helper(request, name):
    # ok: path-traversal
    return open("/srv/attachments/" + name, "rb")  # not routed: its callers decide


class ArchiveView:
    def get(self, request, label):
        # ruleid: command-injection
        subprocess.run("tar czf /tmp/out.tgz /srv/archive/" + label, shell=True)
        return HttpResponse("ok")


def next_page(request):
    target = request.GET.get("next", "/")
    target_ok = url_has_allowed_host_and_scheme(url=target, allowed_hosts={request.get_host()})
    if target_ok:
        # ok: open-redirect
        return HttpResponseRedirect(target)
    other_ok = url_has_allowed_host_and_scheme(url="/home", allowed_hosts={request.get_host()})
    if other_ok:
        # ruleid: open-redirect
        return HttpResponseRedirect(target)
    return HttpResponseRedirect("/")
