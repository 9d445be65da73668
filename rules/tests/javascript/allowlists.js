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

// Checks the project writes itself: what they prove where they returned
// true (or false) holds at the call, for the kinds they prove.
function isPlainName(x) {
  return /^[a-z0-9]+$/.test(x);
}
const isAllowedCommand = (x) => ALLOWED_SET.has(x);

app.get("/helpers", (req, res) => {
  const name = req.query.name;
  if (!isPlainName(name)) return res.status(400).end();
  // ok: command-injection
  exec("echo " + name);
  const cmd = req.query.cmd;
  if (isAllowedCommand(cmd)) {
    // ok: command-injection
    exec(cmd);
  }
  // ruleid: command-injection
  exec(cmd);
});

// A function literal assigned to a name is called by that name.
const runTool = (tool) => {
  // ruleid: command-injection
  exec("tool " + tool);
};
app.get("/tool", (req, res) => {
  runTool(req.query.tool);
  res.end();
});

app.get("/cors-checked", (req, res) => {
  const origin = req.get("origin");
  const trusted = ["https://app.example.com", "https://admin.example.com"].includes(origin);
  if (trusted) {
    // ok: cors-origin-reflection
    res.header("Access-Control-Allow-Origin", origin);
  }
  const unrelated = ["https://app.example.com"].includes(req.get("referer"));
  if (unrelated) {
    // ruleid: cors-origin-reflection
    res.header("Access-Control-Allow-Origin", origin);
  }
  res.end();
});

app.get("/ping-host", (req, res) => {
  const validator = require("validator");
  const { exec } = require("child_process");
  const host = String(req.query.host);
  if (validator.isIP(host) || validator.isFQDN(host)) {
    // ok: command-injection
    exec("ping -c 1 " + host);
  }
  if (validator.isEmail(host)) {
    // ruleid: command-injection
    exec("mail -s hi " + host);
  }
  res.end();
});

app.get("/sort-by", (req, res) => {
  const mysql = require("mysql");
  const conn = mysql.createConnection({});
  // ok: sql-injection
  conn.query("SELECT * FROM items ORDER BY " + mysql.escapeId(req.query.col));
  // ruleid: sql-injection
  conn.query("SELECT * FROM items ORDER BY " + req.query.col);
  res.end();
});

app.get("/report-file", (req, res) => {
  const fs = require("fs");
  const name = String(req.query.name);
  if (name.includes("..")) return res.status(400).end();
  // ok: path-traversal
  const report = fs.readFileSync("/srv/reports/" + name, "utf8");
  // ok: path-traversal
  const meta = fs.readFileSync(`/srv/reports/${name}.json`, "utf8");
  // ruleid: path-traversal
  const any = fs.readFileSync(name, "utf8");
  res.type("txt").send(report + meta + any);
});
