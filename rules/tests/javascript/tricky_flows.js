const express = require("express");
const { exec, execFile } = require("child_process");
const fs = require("fs");
const path = require("path");
const mysql = require("mysql");
const escapeHtml = require("escape-html");
const util = require("./util_helpers");
const LastValue = require("./last_value");

const app = express();
const db = mysql.createConnection({ host: "localhost" });

function wrap(v) {
  return `'${v}'`;
}

function constantOut(v) {
  v = "fixed";
  return v;
}

app.get("/user", (req, res) => {
  const id = req.query.id;
  // ruleid: sql-injection
  db.query("SELECT * FROM users WHERE id = " + wrap(id));
  // ok: sql-injection
  db.query("SELECT * FROM users WHERE id = " + wrap(constantOut(id)));
  // ok: sql-injection
  db.query("SELECT * FROM users WHERE id = ?", [id]);
  // ruleid: sql-injection
  db.query(`SELECT * FROM users WHERE id = ${id}`, (err, rows) => res.json(rows));
  // ok: sql-injection
  db.query("SELECT * FROM users WHERE id = " + parseInt(id, 10));
  // ok: sql-injection
  db.query("SELECT * FROM users WHERE id = " + mysql.escape(id));
  const parts = ["SELECT * FROM users WHERE id = ", id];
  // ruleid: sql-injection
  db.query(parts.join(""));
  const q = { safe: "1", bad: id };
  // ok: sql-injection
  db.query("SELECT * FROM users WHERE id = " + q.safe);
  // ruleid: sql-injection
  db.query("SELECT * FROM users WHERE id = " + q["bad"]);
  // ruleid: sql-injection
  db.query("SELECT * FROM users WHERE id = " + util.passthrough(id));
});

app.post("/run", (req, res) => {
  const host = req.body.host;
  // ruleid: command-injection
  exec("ping -c 1 " + host, (err, out) => res.send("done"));
  // ok: command-injection
  execFile("ping", ["-c", "1", host], (err, out) => res.send("done"));
  const decoded = Buffer.from(host, "base64").toString("utf8");
  // ruleid: command-injection
  exec(`nslookup ${decoded.trim()}`);
  let cmd = host;
  cmd = "uptime";
  // ok: command-injection
  exec(cmd);
  const which = 1 + 1 === 3 ? host : "ls";
  // ok: command-injection
  exec(which);
});

app.get("/hello", (req, res) => {
  const name = req.query.name;
  // ruleid: xss
  res.status(200).send("<h1>Hello " + name + "</h1>");
  // ok: xss
  res.status(200).send("<h1>Hello " + escapeHtml(name) + "</h1>");
  // ok: xss
  res.json({ name: name });
  // ruleid: xss
  res.write(decodeURIComponent(name));
  // ok: xss
  res.send("static");
});

app.get("/file", (req, res) => {
  const f = req.params.file;
  // ruleid: path-traversal
  fs.readFile(path.join(__dirname, "files", f), (err, data) => res.end(data));
  // ok: path-traversal
  fs.readFile(path.join(__dirname, "files", path.basename(f)), (err, data) => res.end(data));
  // ruleid: path-traversal
  res.sendFile(path.resolve("/srv", f));
});

app.get("/out", (req, res) => {
  // ruleid: open-redirect
  res.redirect(req.query.url);
  // ok: open-redirect
  res.redirect("/home");
});

app.get("/encoded", (req, res) => {
  const term = encodeURIComponent(req.query.term);
  // ok: xss
  res.send("<a href='/s?q=" + term + "'>again</a>");
  // encodeURIComponent keeps the single quote: still SQL injection.
  // ruleid: sql-injection
  db.query("SELECT * FROM t WHERE name = '" + term + "'");
});

app.get("/file-body", (req, res) => {
  // ruleid: path-traversal
  const content = fs.readFileSync(path.join("/srv/pages", req.query.page), "utf8");
  // The file's content is the server's, not the request's.
  // ok: xss
  res.send(content);
});

function registerFastify(fastify) {
  fastify.get("/fastify/next", async (request, reply) => {
    // ruleid: open-redirect
    return reply.redirect(request.query.next);
  });
}
module.exports.registerFastify = registerFastify;

function registerHapi(server) {
  server.route({
    method: "POST",
    path: "/hapi/run",
    handler: (request, h) => {
      // ruleid: command-injection
      exec("ls " + request.payload.dir);
      // ruleid: open-redirect
      return h.redirect(request.query.next);
    },
  });
}
module.exports.registerHapi = registerHapi;

app.get("/collections", (req, res) => {
  const seen = new Set();
  seen.add(req.query.tool);
  // ruleid: command-injection
  exec([...seen][0]);
  const target = {};
  Object.assign(target, req.query);
  // ruleid: command-injection
  exec(target.cmd);
  const fixed = new Set(["ls"]);
  fixed.add("uptime");
  // ok: command-injection
  exec([...fixed][0]);
});

app.get("/numbers", (req, res) => {
  // Unary plus converts to a number (or NaN).
  // ok: sql-injection
  db.query("SELECT * FROM t LIMIT " + (+req.query.limit));
  // A query value may be an object whose length is any string (q[length]=...).
  // ruleid: sql-injection
  db.query("SELECT * FROM t LIMIT " + req.query.q.length);
});

// Path containment checks written the Node way.
const FILES_ROOT = path.resolve("/srv/files");
app.get("/download/relative", (req, res) => {
  const target = path.join(FILES_ROOT, String(req.query.name));
  const rel = path.relative(FILES_ROOT, target);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return res.status(403).end();
  // ok: path-traversal
  res.sendFile(target);
});
app.get("/download/indexof", (req, res) => {
  const target = path.normalize(path.join(FILES_ROOT, String(req.query.name)));
  if (target.indexOf(FILES_ROOT) !== 0) return res.status(403).end();
  // ok: path-traversal
  res.sendFile(target);
});
app.get("/download/indexof-raw", (req, res) => {
  // Not resolved: "/srv/files/../../etc/passwd" starts with the root too.
  const target = FILES_ROOT + "/" + req.query.name;
  if (target.indexOf(FILES_ROOT) !== 0) return res.status(403).end();
  // ruleid: path-traversal
  res.sendFile(target);
});

// A callback reads the handler's variables: its own parameters carry nothing,
// what it captured does.
app.get("/archive", (req, res) => {
  const dir = req.query.dir;
  const fixed = "/srv/files";
  return new Promise((resolve) => {
    // ruleid: command-injection
    exec("tar czf /tmp/a.tgz " + dir, () => resolve(res.end()));
    // ok: command-injection
    exec("tar czf /tmp/b.tgz " + fixed, () => resolve(res.end()));
  });
});

// A for loop's counter changes every iteration: `i > 0` is not dead code.
app.get("/retry", (req, res) => {
  const host = req.query.host;
  for (let i = 0; i < 3; i++) {
    if (i > 0) {
      // ruleid: command-injection
      exec("ping -c 1 " + host);
    }
  }
  res.end();
});

app.get("/local-callback", (req, res) => {
  const reply = (err, body) => {
    // ruleid: xss
    res.send("<div>" + body + "</div>");
  };
  const replyText = (err, body) => {
    // ok: xss
    res.send("<div>" + String(body).replace(/</g, "&lt;") + "</div>");
  };
  const title = () => "<h1>" + req.query.title + "</h1>";
  const fixedTitle = () => "<h1>Search</h1>";
  replyText(null, req.query.q);
  reply(null, req.query.q);
  // ruleid: xss
  res.write(title());
  // ok: xss
  res.write(fixedTitle(req.query.title));
});

app.get("/collect", (req, res) => {
  let names = "";
  let count = 0;
  Object.values(req.query).forEach((v) => {
    names += v + ",";
    count += 1;
  });
  // ruleid: xss
  res.write("<p>" + names + "</p>");
  // ok: xss
  res.end("<p>" + count + "</p>");
});

app.get("/last-value", (req, res) => {
  const kept = new LastValue();
  kept.remember(req.query.cmd);
  // ruleid: command-injection
  exec("echo " + kept.recall());
  const replaced = new LastValue();
  replaced.remember(req.query.cmd);
  replaced.remember("fixed");
  // ok: command-injection
  exec("echo " + replaced.recall());
  res.end();
});
