import os
import re
import ssl
import tempfile

from cryptography.hazmat.primitives.asymmetric import dsa, rsa
from Crypto.PublicKey import RSA
from flask import Flask, abort, request

app = Flask(__name__)


def scratch_files(data):
    # ruleid: insecure-temp-file
    path = tempfile.mktemp(suffix=".csv")
    # ok: insecure-temp-file
    fd, safe_path = tempfile.mkstemp(suffix=".csv")
    # ruleid: permissive-file-permissions
    os.chmod(path, 0o777)
    # ruleid: permissive-file-permissions
    os.chmod(path, 0o666)
    # ok: permissive-file-permissions
    os.chmod(safe_path, 0o600)
    # ok: permissive-file-permissions
    os.chmod(safe_path, 0o755)
    # ok: permissive-file-permissions
    os.makedirs("/srv/cache", 0o777, exist_ok=True)  # the umask applies
    # ok: permissive-file-permissions
    os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)
    # ruleid: permissive-file-permissions
    os.umask(0)
    return fd


def keys():
    # ruleid: weak-key-size
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    # ok: weak-key-size
    strong = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    # ruleid: weak-key-size
    old_dsa = dsa.generate_private_key(key_size=1024)
    # ruleid: weak-key-size
    legacy = RSA.generate(512)
    # ok: weak-key-size
    fine = RSA.generate(2048)
    return weak, strong, old_dsa, legacy, fine


def tls():
    # ruleid: weak-tls-protocol
    old = ssl.SSLContext(ssl.PROTOCOL_TLSv1)
    # ok: weak-tls-protocol
    negotiated = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    return old, negotiated


@app.route("/grep")
def grep():
    term = request.args.get("term", "")
    lines = open("/srv/data.txt").read().splitlines()
    # ruleid: regex-injection
    hits = [l for l in lines if re.search(term, l)]
    # ok: regex-injection
    literal = [l for l in lines if re.search(re.escape(term), l)]
    # ok: regex-injection
    fixed = re.compile(r"^[a-z]+$")
    return {"hits": hits, "literal": literal, "ok": bool(fixed.match(term))}


def pathlib_files():
    from pathlib import Path

    from flask import request

    name = request.args.get("name", "")
    # ruleid: path-traversal
    Path("/srv/files", name).read_text()
    # ruleid: path-traversal
    (Path("/srv/files") / name).write_bytes(b"")
    # ruleid: path-traversal
    Path("/srv/files").joinpath(name).unlink()
    # ok: path-traversal
    Path("/srv/files", "index.txt").read_text()
    # A Path is only a name until it is used.
    # ok: path-traversal
    shown = str(Path("/srv/files", name))
    return shown


def read_single_name():
    # No ".." and no "/": a single name that stays in the directory.
    name = request.args.get("name", "")
    if ".." in name or "/" in name:
        abort(400)
    # ok: path-traversal
    return open(os.path.join("/srv/files", name)).read()


def read_checked_twice():
    name = request.args.get("name", "")
    if ".." in name:
        abort(400)
    if "/" in name:
        abort(400)
    # ok: path-traversal
    return open(os.path.join("/srv/files", name)).read()


def read_dotdot_only():
    name = request.args.get("name", "")
    if ".." in name:
        abort(400)
    # An absolute name still replaces the directory.
    # ruleid: path-traversal
    return open(os.path.join("/srv/files", name)).read()


def read_checked_on_one_path(strict):
    name = request.args.get("name", "")
    if strict:
        if ".." in name:
            abort(400)
    if "/" in name:
        abort(400)
    # The ".." check ran on one path only.
    # ruleid: path-traversal
    return open(os.path.join("/srv/files", name)).read()


def unpack_upload(upload_path, dest):
    import shutil
    import tarfile
    from tarfile import TarFile

    with tarfile.open(upload_path) as tar:
        # ruleid: archive-extract-unfiltered
        tar.extractall(dest)
    archive = tarfile.open(upload_path, "r:gz")
    # ruleid: archive-extract-unfiltered
    archive.extract("report.csv", path=dest)
    # ok: archive-extract-unfiltered
    archive.extractall(dest, filter="data")
    # The caller's own selection of members.
    chosen = [m for m in archive.getmembers() if m.isfile() and not m.name.startswith(("/", ".."))]
    # ok: archive-extract-unfiltered
    archive.extractall(dest, members=chosen)
    with TarFile.open(upload_path) as other:
        # ruleid: archive-extract-unfiltered
        other.extractall(dest)
    # ruleid: archive-extract-unfiltered
    shutil.unpack_archive(upload_path, dest)
    # ok: archive-extract-unfiltered
    shutil.unpack_archive(upload_path, dest, filter="data")
    import zipfile
    # zipfile drops ".." and absolute parts itself.
    with zipfile.ZipFile(upload_path) as z:
        # ok: archive-extract-unfiltered
        z.extractall(dest)


@app.route("/files/common")
def under_base_commonpath():
    base = "/srv/files"
    resolved = os.path.realpath(os.path.join(base, request.args["name"]))
    if os.path.commonpath([resolved, base]) != base:
        abort(403)
    # ok: path-traversal
    return open(resolved).read()


@app.route("/files/common-unresolved")
def under_base_commonpath_unresolved():
    base = "/srv/files"
    joined = os.path.join(base, request.args["name"])
    # commonpath compares components: "/srv/files/../etc" shares "/srv/files".
    if os.path.commonpath([joined, base]) != base:
        abort(403)
    # ruleid: path-traversal
    return open(joined).read()


def copy_upload_to():
    import shutil
    name = request.args.get("name", "")
    # ruleid: path-traversal
    shutil.copy("/srv/templates/base.txt", "/srv/out/" + name)
    # ok: path-traversal
    shutil.copy("/srv/templates/" + os.path.basename(name), "/srv/out/fixed.txt")
    # ruleid: path-traversal
    os.rename("/srv/tmp/upload", os.path.join("/srv/store", name))
    # ok: path-traversal
    os.rename("/srv/tmp/upload", "/srv/store/latest")


def hex_named_file():
    name = request.args.get("name", "")
    encoded = name.encode("utf-8").hex()
    # ok: path-traversal
    open("/srv/cache/" + encoded).close()
    decoded = bytes.fromhex(name).decode("utf-8")
    # ruleid: path-traversal
    open("/srv/cache/" + decoded).close()


def dotless_name():
    from flask import abort
    name = request.args.get("name", "")
    if ".." in name:
        abort(400)
    # ok: path-traversal
    open("/srv/reports/" + name).close()
    # ok: path-traversal
    open(f"/srv/reports/{name}.txt").close()
    # ruleid: path-traversal
    open(name).close()
    # ruleid: path-traversal
    open(os.path.join("/srv/reports", name)).close()
