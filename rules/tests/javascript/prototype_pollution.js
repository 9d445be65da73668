// Request data choosing property names or deep-merged into objects.
const express = require("express");
const _ = require("lodash");

const app = express();
app.use(express.json());
const settings = {};

app.post("/settings", (req, res) => {
  const { section, key, value } = req.body;
  // ruleid: prototype-pollution
  settings[section][key] = value;
  // A constant prefix: never "__proto__".
  // ok: prototype-pollution
  settings["user_" + section][key] = value;
  res.json({ ok: true });
});

app.post("/merge", (req, res) => {
  const defaults = { theme: "light" };
  // ruleid: prototype-pollution
  const merged = _.merge({}, defaults, req.body);
  // ok: prototype-pollution
  const shallow = Object.assign({}, defaults, { theme: String(req.body.theme) });
  // ruleid: prototype-pollution
  _.set(settings, req.query.path, req.query.value);
  // ok: prototype-pollution
  _.set(settings, "ui.theme", req.query.value);
  res.json({ merged, shallow });
});

app.post("/map", (req, res) => {
  const store = new Map();
  // ok: prototype-pollution
  store.set(req.body.key, req.body.value);
  const fixed = { a: { b: 1 } };
  // ok: prototype-pollution
  fixed["a"]["b"] = req.body.value;
  res.json({ size: store.size });
});

// Walking a dotted path: cur becomes whatever object the names reach.
function setPath(obj, path, value) {
  const parts = path.split(".");
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    // From the second name on, cur may be Object.prototype already.
    // ruleid: prototype-pollution
    cur = cur[parts[i]] || (cur[parts[i]] = {});
  }
  // ruleid: prototype-pollution
  cur[parts[parts.length - 1]] = value;
}

// The usual fix: refuse the two names that lead to Object.prototype.
function setPathChecked(obj, path, value) {
  const parts = path.split(".");
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    if (part === "__proto__" || part === "constructor") return;
    cur = cur[part] || (cur[part] = {});
  }
  const last = parts[parts.length - 1];
  if (["__proto__", "constructor", "prototype"].includes(last)) return;
  // ok: prototype-pollution
  cur[last] = value;
}

// Refusing "__proto__" alone leaves constructor.prototype.
function setPathHalfChecked(obj, path, value) {
  const parts = path.split(".");
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    if (part === "__proto__") return;
    // ruleid: prototype-pollution
    cur = cur[part] || (cur[part] = {});
  }
  // ruleid: prototype-pollution
  cur[parts[parts.length - 1]] = value;
}

app.post("/path", (req, res) => {
  const target = {};
  setPath(target, req.body.path, req.body.value);
  setPathChecked(target, req.body.path, req.body.value);
  setPathHalfChecked(target, req.body.path, req.body.value);
  const { section, key, value } = req.body;
  if (section !== "__proto__" && section !== "constructor") {
    // ok: prototype-pollution
    settings[section][key] = value;
  }
  res.json(target);
});

// A project's own deep merge: the recursion hands target["__proto__"]
// (Object.prototype) to the next call, which writes into it.
function deepMerge(target, source) {
  for (const key in source) {
    if (typeof source[key] === "object" && source[key] !== null) {
      if (!target[key]) target[key] = {};
      // ruleid: prototype-pollution
      deepMerge(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

function deepMergeChecked(target, source) {
  for (const key in source) {
    if (key === "__proto__" || key === "constructor") continue;
    if (typeof source[key] === "object" && source[key] !== null) {
      if (!target[key]) target[key] = {};
      // ok: prototype-pollution
      deepMergeChecked(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

// Named like lodash's merge, but the project's own (shallow, with fixed
// keys): no library model applies to it.
function merge(a, b) {
  return { name: a.name, theme: b.theme };
}

app.post("/prefs", (req, res) => {
  const prefs = {};
  deepMerge(prefs, req.body);
  deepMergeChecked(prefs, req.body);
  // ok: prototype-pollution
  const combined = merge(prefs, req.body);
  res.json(combined);
});
