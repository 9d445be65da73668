// Membership in the program's own collections validates a value;
// membership in request data does not.
const express = require("express");
const { exec } = require("child_process");

const app = express();
const ALLOWED = ["ls", "uptime"];
const ALLOWED_SET = new Set(["ls", "uptime"]);

app.get("/a", (req, res) => {
  const cmd = req.query.cmd;
  if (!ALLOWED.includes(cmd)) return res.status(400).end();
  // ok: command-injection
  exec(cmd);
});

app.get("/b", (req, res) => {
  const cmd = req.query.cmd;
  if (ALLOWED_SET.has(cmd)) {
    // ok: command-injection
    exec(cmd);
  }
  const given = req.query.list;
  if (given.includes(cmd)) {
    // ruleid: command-injection
    exec(cmd);
  }
  // ruleid: command-injection
  exec(cmd);
});
