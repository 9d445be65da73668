// Flows through fields, allowlist checks, declared output types and callbacks.
const express = require("express");
const { exec } = require("child_process");

const app = express();

class Backup {
  constructor() {
    this.level = "9";
  }
  configure(req) {
    this.dest = req.query.dest;
  }
  run() {
    // ruleid: command-injection
    exec("tar czf " + this.dest + " /srv");
    // ok: command-injection
    exec("gzip -" + this.level + " /srv/data");
  }
}

app.get("/sort", (req, res) => {
  const dir = req.query.dir;
  if (dir === "asc" || dir === "desc") {
    // ok: command-injection
    exec("sort-tool --" + dir);
  } else {
    // ruleid: command-injection
    exec("sort-tool --" + dir);
  }
  if (["json", "csv"].includes(req.query.fmt)) {
    // ok: command-injection
    exec("export --fmt " + req.query.fmt);
  }
  if (dir !== "asc") {
    return res.status(400).send("bad");
  }
  // ok: command-injection
  exec("sort-tool --" + dir);
});

app.get("/echo", (req, res) => {
  res.type("json");
  // ok: xss
  res.send('{"q":"' + req.query.q + '"}');
});

app.get("/echo2", (req, res) => {
  res.set("Content-Type", "text/plain");
  // ok: xss
  res.send(req.query.q);
});

app.get("/echo3", (req, res) => {
  res.type("html");
  // ruleid: xss
  res.send(req.query.q);
});

app.get("/tags", (req, res) => {
  const tags = req.query.tags;
  tags.forEach((t) => {
    // ruleid: command-injection
    exec("tag " + t);
  });
  // ruleid: command-injection
  const out = tags.map((t) => exec("tag " + t));
  ["a", "b"].forEach((t) => {
    // ok: command-injection
    exec("tag " + t);
  });
  res.send("ok");
});
