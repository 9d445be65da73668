const express = require("express");
const { exec, execFile, spawn } = require("child_process");
const fs = require("fs");
const path = require("path");
const axios = require("axios");
const mysql = require("mysql");
const escapeHtml = require("escape-html");
const serialize = require("node-serialize");
const validator = require("validator");
const mathjs = require("mathjs");

const app = express();
const db = mysql.createConnection({});

function passthrough(v) {
  return v;
}

function constant(v) {
  return "fixed";
}

app.get("/user", (req, res) => {
  const id = req.query.id;
  // ruleid: sql-injection
  db.query("SELECT * FROM users WHERE id = '" + id + "'");
  // ok: sql-injection
  db.query("SELECT * FROM users WHERE id = ?", [id]);
  // ruleid: sql-injection
  db.query(`SELECT * FROM users WHERE id = '${passthrough(id)}'`);
  // ok: sql-injection
  db.query(`SELECT * FROM users WHERE id = '${constant(id)}'`);
  // ruleid: sql-injection
  db.query("SELECT * FROM users WHERE id = '" + escapeHtml(id) + "'");
  // ok: sql-injection
  db.query("SELECT * FROM users WHERE id = " + parseInt(id, 10));
  // ruleid: xss
  res.send("<p>" + id + "</p>");
  // ok: xss
  res.send("<p>" + escapeHtml(id) + "</p>");
});

app.get("/user-checked", (req, res) => {
  const id = req.query.id;
  if (!validator.isInt(id)) {
    return res.status(400).send("bad id");
  }
  // ok: sql-injection
  db.query("SELECT * FROM users WHERE id = " + id);
  const name = req.query.name;
  if (validator.isAlphanumeric(id)) {
    // ruleid: sql-injection
    db.query("SELECT * FROM users WHERE name = '" + name + "'");
  }
});

app.post("/run", function (req, res) {
  const { cmd } = req.body;
  const opts = { safe: "ls", user: cmd };
  // ok: command-injection
  exec(opts.safe);
  // ruleid: command-injection
  exec(opts.user);
  // ok: command-injection
  execFile("ls", ["-l"]);
  if (false) {
    // ok: command-injection
    exec(cmd);
  }
  const file = req.query.file;
  // ruleid: path-traversal
  fs.readFile("/srv/files/" + file, (err, data) => res.send(String(data)));
  // ok: path-traversal
  fs.readFile(path.join("/srv/files", path.basename(file)), () => {});
  // ruleid: ssrf
  axios.get(req.query.url);
  // ok: ssrf
  axios.get("https://api.example.com/health");
  // ruleid: open-redirect
  res.redirect(req.query.next);
  // ok: open-redirect
  res.redirect("/home");
  // ruleid: open-redirect
  res.redirect(encodeURI(req.query.next));
  // ruleid: ssrf
  axios.get(encodeURI(req.query.url));
  // ok: ssrf
  axios.get(`https://api.example.com/search?q=${req.query.q}&page=${req.query.page}`);
  // ruleid: ssrf
  axios.get(`https://${req.query.host}/status`);
  // ruleid: ssrf
  axios.get("https://api.example.com" + req.query.path);
  // ok: open-redirect
  res.redirect("/search?q=" + req.query.q);
  // ruleid: open-redirect
  res.redirect("/" + req.query.next);
  // ruleid: code-injection
  eval(req.body.expr);
  // ok: code-injection
  eval("1 + 1");
  // ruleid: unsafe-deserialization
  serialize.unserialize(req.cookies.profile);
  // ok: unsafe-deserialization
  JSON.parse(req.cookies.profile);
  // ruleid: trust-boundary-violation
  req.session.role = req.body.role;
  // ok: trust-boundary-violation
  req.session.role = "user";
  // ruleid: log-injection
  console.log("login " + req.body.user);
  // ok: log-injection
  console.log("login " + parseInt(req.body.user, 10));
});

app.post("/ping", (req, res) => {
  const host = req.body.host;
  // ruleid: command-injection
  spawn("sh", ["-c", "ping -c 1 " + host]);
  // ok: command-injection
  spawn("ping", ["-c", "1", host]);
  // ruleid: command-injection
  exec("ping -c 1 " + host, (err, stdout) => {
    // ok: xss
    res.send(stdout);
  });
});

const FILES_ROOT = "/srv/files";
app.get("/files/checked", (req, res) => {
  const p = path.resolve(FILES_ROOT, req.query.f);
  if (!p.startsWith(FILES_ROOT + path.sep)) return res.status(400).end();
  // ok: path-traversal
  res.type("text/plain").send(fs.readFileSync(p, "utf8"));
});
app.get("/files/unchecked", (req, res) => {
  const p = path.join(FILES_ROOT, req.query.f);
  // ruleid: path-traversal
  res.type("text/plain").send(fs.readFileSync(p, "utf8"));
});

app.get("/mongo", async (req, res) => {
  const users = req.app.locals.db.collection("users");
  // ruleid: code-injection
  await users.find({ $where: "this.name == '" + req.query.name + "'" }).toArray();
  // ok: code-injection
  await users.find({ name: String(req.query.name) }).toArray();
  res.json({});
});

app.get("/static", (req, res) => {
  // send() refuses ".." segments below a root.
  // ok: path-traversal
  res.sendFile(req.query.f, { root: path.join(__dirname, "public") });
  // ruleid: path-traversal
  res.sendFile(path.join(__dirname, "public", req.query.f));
});

app.post("/calc", (req, res) => {
  // ruleid: code-injection
  res.json({ value: mathjs.evaluate(req.body.expr) });
});

app.get("/single-name", (req, res) => {
  const name = String(req.query.name);
  if (name.includes("..") || name.includes("/")) return res.status(400).end();
  // ok: path-traversal
  res.send(fs.readFileSync(path.join("/srv/files", name)));
  const other = String(req.query.other);
  if (other.includes("..")) return res.status(400).end();
  // ruleid: path-traversal
  res.send(fs.readFileSync(path.join("/srv/files", other)));
});

const ALLOWED_ORIGINS = new Set(["https://app.example.com"]);
app.use((req, res, next) => {
  // ruleid: cors-origin-reflection
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
  if (ALLOWED_ORIGINS.has(req.headers.origin)) {
    // ok: cors-origin-reflection
    res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
  }
  // ok: cors-origin-reflection
  res.setHeader("Access-Control-Allow-Origin", "https://app.example.com");
  next();
});

app.get("/git-log", (req, res) => {
  // ruleid: command-injection
  spawn("git", ["log", req.query.ref], { shell: true });
  // ok: command-injection
  spawn("git", ["log", req.query.ref]);
  res.end();
});
