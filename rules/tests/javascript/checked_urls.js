// Checks that pin a URL's host or keep a redirect on the site.
const express = require("express");
const axios = require("axios");

const app = express();
const HOSTS = new Set(["api.example.com"]);

app.get("/fetch", async (req, res) => {
  const url = new URL(req.query.url);
  if (url.hostname !== "api.example.com") return res.status(400).end();
  // ok: ssrf
  const r = await axios.get(url.toString());
  res.json(r.data);
});

app.get("/fetch2", async (req, res) => {
  const target = new URL(req.query.url);
  if (HOSTS.has(target.host)) {
    // ok: ssrf
    await axios.get(target.href);
  }
  // ruleid: ssrf
  await axios.get(target.href);
  res.end();
});

app.get("/next", (req, res) => {
  const next = String(req.query.next || "/");
  if (next.startsWith("/") && !next.startsWith("//")) {
    // ok: open-redirect
    return res.redirect(next);
  }
  // ruleid: open-redirect
  res.redirect(next);
});

// A check inside a conditional expression holds in its branch.
app.get("/next-inline", (req, res) => {
  const next = String(req.query.next || "/");
  // ok: open-redirect
  res.redirect(next.startsWith("/") && !next.startsWith("//") ? next : "/");
  // ruleid: open-redirect
  res.redirect(next.startsWith("/") && !next.startsWith("//") ? "/" : next);
});

// A prefix that ends the host (a "/" after it) pins where the URL points.
function isAllowedTarget(url) {
  return url.startsWith("https://docs.example.com/");
}

app.get("/go", (req, res) => {
  const to = String(req.query.to || "");
  if (to.startsWith("https://github.com/example/")) {
    // ok: open-redirect
    res.redirect(to);
  }
  if (isAllowedTarget(to)) {
    // ok: open-redirect
    res.redirect(to);
  }
  if (to.startsWith("https://github.com")) {
    // https://github.com.evil.example/ starts so too.
    // ruleid: open-redirect
    res.redirect(to);
  }
  if (to.includes("https://github.com/example/")) {
    // ruleid: open-redirect
    res.redirect(to);
  }
});

// A loop over an allowlist of prefixes that each end the host.
const REDIRECT_ALLOWLIST = new Set(["https://github.com/example/", "https://blog.example.com/"]);
function isRedirectAllowed(url) {
  for (const allowed of REDIRECT_ALLOWLIST) {
    if (url.startsWith(allowed)) return true;
  }
  return false;
}
function isRedirectMentioned(url) {
  for (const allowed of REDIRECT_ALLOWLIST) {
    if (url.includes(allowed)) return true;
  }
  return false;
}

app.get("/redirect", (req, res) => {
  const to = String(req.query.to || "");
  if (isRedirectAllowed(to)) {
    // ok: open-redirect
    return res.redirect(to);
  }
  if (isRedirectMentioned(to)) {
    // https://evil.example/?https://github.com/example/ includes it.
    // ruleid: open-redirect
    return res.redirect(to);
  }
  res.status(406).end();
});

const PREFIXES = ["https://github.com/example/", "https://blog.example.com/"];
app.get("/redirect-some", (req, res) => {
  const to = String(req.query.to || "");
  if (PREFIXES.some((p) => to.startsWith(p))) {
    // ok: open-redirect
    return res.redirect(to);
  }
  if (PREFIXES.some((p) => to.includes(p))) {
    // ruleid: open-redirect
    return res.redirect(to);
  }
  res.status(406).end();
});
