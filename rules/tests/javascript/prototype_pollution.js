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
