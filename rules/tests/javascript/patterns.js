const crypto = require("crypto");
const https = require("https");
const jwt = require("jsonwebtoken");
const cors = require("cors");
const express = require("express");

const app = express();
// ruleid: cors-wildcard-credentials
app.use(cors({ origin: "*", credentials: true }));
// ok: cors-wildcard-credentials
app.use(cors({ origin: ["https://app.example.com"], credentials: true }));

// ruleid: hardcoded-secret
const apiKey = "AKIA1234567890EXAMPLE";
// ok: hardcoded-secret
const apiKeyHeader = "X-Api-Key";

function tokens(user, data) {
  // ruleid: hardcoded-crypto-key
  const t = jwt.sign(user, "pa4qacea4VK9t9nGv7yZtwmj", { algorithm: "HS256" });
  // ok: hardcoded-secret
  const u = jwt.sign(user, process.env.JWT_KEY, { algorithm: "HS256" });
  // ruleid: hardcoded-crypto-key
  const mac = crypto.createHmac("sha256", "k3y-material-here").update(data).digest("hex");
  // ok: hardcoded-secret
  const mac2 = crypto.createHmac("sha256", process.env.MAC_KEY).update(data).digest("hex");
  return [t, u, mac, mac2];
}

app.get("/token", (req, res) => {
  const signed = jwt.sign({ sub: req.query.user }, process.env.JWT_KEY, { algorithm: "HS256" });
  // ok: xss
  res.send("<p>" + signed + "</p>");
  // ruleid: xss
  res.send("<p>" + req.query.user + "</p>");
});

function sign(data, key, iv, token) {
  // ruleid: weak-hash
  const a = crypto.createHash("md5").update(data).digest("hex");
  // ok: weak-hash
  const b = crypto.createHash("sha256").update(data).digest("hex");
  // ruleid: weak-cipher
  const c = crypto.createCipheriv("des-cbc", key, iv);
  // ok: weak-cipher
  const d = crypto.createCipheriv("aes-256-gcm", key, iv);
  // ruleid: insecure-random
  const e = Math.random().toString(36);
  // ok: insecure-random
  const f = crypto.randomBytes(16).toString("hex");
  // ruleid: jwt-not-verified
  const g = jwt.decode(token);
  // ok: jwt-not-verified
  const h = jwt.verify(token, key, { algorithms: ["ES256"] });
  // ruleid: jwt-not-verified
  const i = jwt.verify(token, key, { algorithms: ["none"] });
  // ruleid: tls-verification-disabled
  https.request({ host: "api.example.com", rejectUnauthorized: false });
  // ok: tls-verification-disabled
  https.request({ host: "api.example.com" });
  // ruleid: tls-verification-disabled
  const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
  // ruleid: tls-verification-disabled
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  // ok: tls-verification-disabled
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "1";
  // ruleid: tls-verification-disabled
  https.request({ host: "api.example.com", checkServerIdentity: () => undefined });
  // ok: tls-verification-disabled
  https.request({ host: "api.example.com", checkServerIdentity: (host, cert) => pinned(host, cert) });
  void agent;
  return [a, b, c, d, e, f, g, h];
}

app.get("/login", (req, res) => {
  // ruleid: cookie-without-secure
  res.cookie("session", "v", { httpOnly: true });
  // ok: cookie-without-secure
  res.cookie("session", "v", { httpOnly: true, secure: true });
});

const session = require("express-session");
const cookieSession = require("cookie-session");
// ruleid: cookie-without-secure
app.use(session({ secret: process.env.SESSION_KEY, cookie: { httpOnly: false, secure: true } }));
// ruleid: cookie-without-secure
app.use(session({ secret: process.env.SESSION_KEY, cookie: { maxAge: 3600000 } }));
// ok: cookie-without-secure
app.use(session({ secret: process.env.SESSION_KEY, cookie: { secure: true, sameSite: "lax" } }));
// ruleid: cookie-without-secure
app.use(cookieSession({ name: "s", keys: [process.env.SESSION_KEY] }));
// ok: cookie-without-secure
app.use(cookieSession({ name: "s", keys: [process.env.SESSION_KEY], secure: true }));

const fs = require("fs");
const tls = require("tls");

function files(path) {
  // ruleid: permissive-file-permissions
  fs.chmodSync(path, 0o777);
  // ok: permissive-file-permissions
  fs.chmodSync(path, 0o600);
  // ok: permissive-file-permissions
  fs.writeFileSync(path, "data", { mode: 0o666 });
  // ok: permissive-file-permissions
  fs.writeFileSync(path, "data", { mode: 0o600 });
}

function keys() {
  // ruleid: weak-key-size
  crypto.generateKeyPairSync("rsa", { modulusLength: 1024 });
  // ok: weak-key-size
  crypto.generateKeyPairSync("rsa", { modulusLength: 4096 });
  // ruleid: weak-tls-protocol
  tls.createSecureContext({ minVersion: "TLSv1" });
  // ok: weak-tls-protocol
  tls.createSecureContext({ minVersion: "TLSv1.2" });
}

app.get("/find", (req, res) => {
  // ruleid: regex-injection
  const re = new RegExp(req.query.q);
  // ok: regex-injection
  const fixed = new RegExp("^[a-z]+$");
  res.json({ a: re.test("x"), b: fixed.test(req.query.q) });
});

app.get("/find-literal", (req, res) => {
  const escaped = String(req.query.q).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // ok: regex-injection
  const literal = new RegExp("^" + escaped);
  const spaced = String(req.query.q).replace(/ /g, "\\s");
  // ruleid: regex-injection
  const loose = new RegExp(spaced);
  res.json({ a: literal.test("x"), b: loose.test("y") });
});

const nunjucks = require("nunjucks");
const Handlebars = require("handlebars");
// ruleid: template-autoescape-off
nunjucks.configure("views", { autoescape: false });
// ok: template-autoescape-off
nunjucks.configure("views", { autoescape: true });
// ruleid: template-autoescape-off
Handlebars.compile("<p>{{name}}</p>", { noEscape: true });
// ok: template-autoescape-off
Handlebars.compile("<p>{{name}}</p>");

// Regular expressions that backtrack exponentially on a failing input.
function validators(input) {
  // ruleid: regex-redos
  const words = /^(\w+\s?)*$/;
  // ok: regex-redos
  const wordsFixed = /^\w+(?:\s\w+)*$/;
  // ruleid: regex-redos
  const email = new RegExp("^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}[a-z]{2,3}$");
  // ok: regex-redos
  const host = /^([a-z0-9]+\.)+[a-z]{2,}$/;
  // A string given to match() is compiled as a pattern.
  // ruleid: regex-redos
  const m = input.match("(x+x+)+y");
  // ...but replace() takes a string literally.
  // ok: regex-redos
  const r = input.replace("(x+x+)+y", "");
  return [words, wordsFixed, email, host, m, r];
}

app.get("/greeting-template", (req, res) => {
  const _ = require("lodash");
  // ruleid: code-injection
  const render = _.template("Hello " + req.query.name);
  // ok: code-injection
  const fixed = _.template("Hello <%- name %>");
  res.type("txt").send(render({}) + fixed({ name: req.query.name }));
});

app.get("/stored-row", (req, res) => {
  const store = require("better-sqlite3")("app.db");
  // ruleid: sql-injection
  const row = store.prepare("SELECT * FROM items WHERE name = '" + req.query.name + "'").get();
  // ok: sql-injection
  const same = store.prepare("SELECT * FROM items WHERE name = ?").get(req.query.name);
  res.json({ row, same });
});

app.get("/pg-format", async (req, res) => {
  const { format } = require("pg-format");
  const { Pool } = require("pg");
  const pool = new Pool();
  // ok: sql-injection
  await pool.query(format("SELECT * FROM items WHERE name = %L", req.query.name));
  // ruleid: sql-injection
  await pool.query(format("SELECT * FROM items ORDER BY %s", req.query.sort));
  res.end();
});
