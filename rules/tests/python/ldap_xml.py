import ldap
from ldap.filter import escape_filter_chars
from lxml import etree
from defusedxml.ElementTree import fromstring as safe_fromstring
from flask import request


def lookup(conn):
    uid = request.args["uid"]
    # ruleid: ldap-injection
    conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + uid + ")")
    # ok: ldap-injection
    conn.search_s("dc=example,dc=com", ldap.SCOPE_SUBTREE, "(uid=" + escape_filter_chars(uid) + ")")


def query(tree):
    name = request.args["name"]
    # ruleid: xpath-injection
    tree.xpath("//user[@name='" + name + "']")
    # ok: xpath-injection
    tree.xpath("//user[@name=$name]", name=name)


def parse():
    data = request.get_data()
    # ruleid: xxe
    doc = etree.fromstring(data)
    # ok: xxe
    doc = safe_fromstring(data)
    return doc


def xml_with_parser():
    from lxml import etree

    # ruleid: xxe
    etree.fromstring(request.data)
    hardened = etree.XMLParser(resolve_entities=False, no_network=True)
    # ok: xxe
    etree.fromstring(request.data, parser=hardened)
    return "ok"


def element_path():
    import xml.etree.ElementTree as ET
    name = request.args["name"]
    root = ET.parse("users.xml").getroot()
    # ruleid: xpath-injection
    found = root.findall("./user[@name='" + name + "']")
    # ok: xpath-injection
    found = root.findall("./user")
    # ok: xpath-injection
    where = "users.xml".find(name)
    return str(len(found) + where)


def directory_lookup(conn):
    from ldap3.utils.conv import escape_filter_chars as escape3
    uid = request.args["uid"]
    # ruleid: ldap-injection
    conn.search(search_base="dc=example,dc=com", search_filter="(uid=" + uid + ")")
    # ok: ldap-injection
    conn.search(search_base="dc=example,dc=com", search_filter="(uid=" + escape3(uid) + ")")


def driver_sql(engine):
    name = request.args["name"]
    with engine.connect() as c:
        # ruleid: sql-injection
        c.exec_driver_sql("SELECT * FROM users WHERE name = '%s'" % name)
        # ok: sql-injection
        c.exec_driver_sql("SELECT * FROM users WHERE name = ?", (name,))
