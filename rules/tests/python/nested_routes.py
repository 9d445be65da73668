# Routes registered inside an init(app) function, a `match` on a constant,
# two-level ConfigParser keys and parameter names as input.
import configparser
import os
import subprocess

from flask import request


def init(app):

    @app.route("/m/a", methods=["POST"])
    def match_taken():
        param = request.args.get("p", "")
        possible = "ABC"
        guess = possible[0]
        match guess:
            case "A":
                bar = param
            case "B":
                bar = "bob"
            case _:
                bar = "fixed"
        # ruleid: command-injection
        os.system("echo " + bar)
        return "x"

    @app.route("/m/b", methods=["POST"])
    def match_not_taken():
        param = request.args.get("p", "")
        possible = "ABC"
        guess = possible[1]
        match guess:
            case "A":
                bar = param
            case "B":
                bar = "bob"
            case "C" | "D":
                bar = param
            case _:
                bar = param
        # ok: command-injection
        subprocess.run("echo " + bar, shell=True)
        return "x"

    @app.route("/m/c", methods=["POST"])
    def match_union_taken():
        param = request.args.get("p", "")
        guess = "ABC"[2]
        match guess:
            case "A":
                bar = "a"
            case "C" | "D":
                bar = param
            case _:
                bar = "z"
        # ruleid: command-injection
        subprocess.run("echo " + bar, shell=True)
        return "x"

    @app.route("/m/d", methods=["POST"])
    def match_unknown_subject():
        param = request.args.get("p", "")
        match request.args.get("mode"):
            case "A":
                bar = "a"
            case _:
                bar = param
        # ruleid: command-injection
        os.system(bar)
        return "x"

    @app.route("/m/e", methods=["POST"])
    def match_capture():
        param = request.args.get("p", "")
        match param:
            case "A":
                bar = "a"
            case other:
                bar = other
        # ruleid: command-injection
        os.system(bar)
        return "x"

    @app.route("/c/a")
    def config_keys():
        param = request.cookies.get("c", "none")
        conf = configparser.ConfigParser()
        conf.add_section("section")
        conf.set("section", "keyA", "a-Value")
        conf.set("section", "keyB", param)
        bar = conf.get("section", "keyA")
        # ok: command-injection
        os.system("echo " + bar)
        other = conf.get("section", "keyB")
        # ruleid: command-injection
        os.system("echo " + other)
        return "x"

    @app.route("/n/a", methods=["POST"])
    def parameter_names():
        param = ""
        for name in request.form.keys():
            if "wanted" in request.form.getlist(name):
                param = name
                break
        # ruleid: command-injection
        os.system("echo " + param)
        return "x"

    @app.route("/n/b")
    def own_dict_keys():
        settings = {"mode": request.args.get("m", "")}
        for name in settings.keys():
            # ok: command-injection
            os.system("echo " + name)
        return "x"

    @app.route("/s/a")
    def session_key():
        import flask
        name = request.args.get("n", "")
        # ruleid: trust-boundary-violation
        flask.session[name] = "10340"
        # ok: trust-boundary-violation
        flask.session["visits"] = 1
        return "x"

    @app.route("/x/a", methods=["POST"])
    def sax_external_entities():
        import xml.sax
        parser = xml.sax.make_parser()
        # ruleid: xml-parser-unhardened
        parser.setFeature(xml.sax.handler.feature_external_ges, True)
        safe = xml.sax.make_parser()
        # ok: xml-parser-unhardened
        safe.setFeature(xml.sax.handler.feature_external_ges, False)
        # ok: xml-parser-unhardened
        safe.setFeature(xml.sax.handler.feature_namespaces, True)
        return "x"

    @app.route("/x/b", methods=["POST"])
    def lxml_entities():
        import lxml.etree
        # ruleid: xml-parser-unhardened
        lxml.etree.XMLParser(resolve_entities=True)
        # ok: xml-parser-unhardened
        lxml.etree.XMLParser(resolve_entities=False, no_network=True)
        return "x"

    @app.route("/x/c")
    def elementpath_query():
        import elementpath
        import lxml.etree
        root = lxml.etree.parse("employees.xml")
        user = request.args.get("u", "")
        # ruleid: xpath-injection
        elementpath.select(root, "/Employees/Employee[@id='" + user + "']")
        # ok: xpath-injection
        elementpath.select(root, "/Employees/Employee[@id=$id]", variables={"id": user})
        return "x"
