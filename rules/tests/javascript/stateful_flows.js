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

app.get("/job", (req, res) => {
  const queue = req.query.queue;
  if (queue !== "high" && queue !== "low") {
    throw new Error("bad queue");
  }
  // ok: command-injection
  exec("enqueue --queue " + queue);
  const n = req.query.n;
  if (n == 1) {
    // ruleid: command-injection
    exec("enqueue --n " + n);
  }
  const prio = req.query.prio;
  try {
    if (prio !== "1") throw new Error("handled below");
  } catch (e) {
    console.error(e);
  }
  // ruleid: command-injection
  exec("enqueue --prio " + prio);
  res.send("ok");
});

app.get("/switch", (req, res) => {
  const mode = "b";
  let arg;
  switch (mode) {
    case "a":
      arg = "--all";
      break;
    case "b":
    case "c":
      arg = req.query.arg;
      break;
    default:
      arg = "--none";
  }
  // ruleid: command-injection
  exec("tool " + arg);
  res.send("ok");
});

app.get("/branch", (req, res) => {
  const branch = req.query.branch;
  if (!/^[A-Za-z0-9_]{1,40}$/.test(branch)) {
    return res.status(400).send("bad branch");
  }
  // ok: command-injection
  exec("git checkout " + branch);
  const ref = req.query.ref;
  if (/^[a-z]+/.test(ref)) {
    // ruleid: command-injection
    exec("git show " + ref);
  }
  if (/^[a-z]+$/m.test(ref)) {
    // ruleid: command-injection
    exec("git show " + ref);
  }
  if (/^[\w.-]+$/.test(ref)) {
    // ruleid: command-injection
    exec("git show " + ref);
  }
  res.send("ok");
});
