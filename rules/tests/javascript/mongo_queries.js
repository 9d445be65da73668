// MongoDB / Mongoose queries built from request values that may be objects.
const express = require("express");
const User = require("./models/user");
const crypto = require("crypto");
const db = require("./db");

const app = express();
app.use(express.json());

app.post("/login", async (req, res) => {
  // {"password": {"$ne": null}} matches any account.
  // ruleid: nosql-injection
  const user = await User.findOne({ name: req.body.name, password: req.body.password });
  // ok: nosql-injection
  const checked = await User.findOne({ name: String(req.body.name), password: String(req.body.password) });
  res.json({ ok: Boolean(user || checked) });
});

app.get("/users/:id", async (req, res) => {
  // Path parameters are strings.
  // ok: nosql-injection
  const user = await User.findOne({ _id: req.params.id });
  // ruleid: nosql-injection
  const byName = await User.find({ name: req.query.name });
  // A template literal is a string.
  // ok: nosql-injection
  const byTag = await User.find({ tag: `${req.query.tag}` });
  res.json({ user, byName, byTag });
});

app.post("/by-tag", async (req, res) => {
  const tag = req.body.tag;
  // ruleid: nosql-injection
  const any = await User.find({ tag: tag });
  if (typeof tag === "string") {
    // ok: nosql-injection
    const tagged = await User.find({ tag: tag });
    res.json({ any, tagged });
  }
  if (typeof tag === "object") {
    // ruleid: nosql-injection
    const objects = await User.find({ tag: tag });
    res.json({ objects });
  }
});

app.get("/list", (req, res) => {
  const items = ["a", "b"];
  // ok: nosql-injection
  const first = items.find((x) => x === req.query.q);
  res.json({ first });
});

// The legacy collection API: update(filter, update) and remove(filter).
app.patch("/reviews", (req, res) => {
  // ruleid: nosql-injection
  db.reviewsCollection.update({ _id: req.body.id }, { $set: { message: String(req.body.message) } });
  // ok: nosql-injection
  db.reviewsCollection.update({ _id: String(req.body.id) }, { $set: { message: String(req.body.message) } });
  // The Juice Shop fix: the id is proven a string before the query, and the
  // message only becomes a field's value under $set.
  if (typeof req.body.id !== "string") {
    return res.status(400).end();
  }
  // ok: nosql-injection
  db.reviewsCollection.update({ _id: req.body.id }, { $set: { message: req.body.message } });
  // A whole body as the update document sets any field and operator.
  // ruleid: nosql-injection
  db.reviewsCollection.update({ _id: req.body.id }, req.body.changes);
  // A hash's update() is no query.
  // ok: nosql-injection
  crypto.createHash("sha256").update(req.body.id);
  res.end();
});
