import * as http from "http";
import * as url from "url";
import { execSync } from "child_process";
import * as fs from "fs";
import * as crypto from "crypto";

const server = http.createServer((req: http.IncomingMessage, res: http.ServerResponse) => {
  const query = url.parse(req.url ?? "", true).query;
  const name = String(query.name);
  // ruleid: xss
  res.end("<p>" + name + "</p>");
  // ok: xss
  res.end("<p>" + encodeURIComponent(name) + "</p>");
  const dir = `/srv/${name}`;
  // ruleid: path-traversal
  const listing = fs.readdirSync(dir);
  // ok: command-injection
  execSync("ls -l /srv");
  const opts: { [k: string]: string } = {};
  opts["safe"] = "x";
  opts["unsafe"] = name;
  // ok: command-injection
  execSync("echo " + opts["safe"]);
  // ruleid: command-injection
  execSync("echo " + opts["unsafe"]);
  // ruleid: insecure-random
  const token = Math.random().toString(36).slice(2);
  // ok: insecure-random
  const strong = crypto.randomBytes(16).toString("hex");
  // ruleid: weak-hash
  const h = crypto.createHash("md5").update(token).digest("hex");
  res.setHeader("X-Token", strong + h + listing.length);
});

server.listen(8080);

// Hono: the context's req reads input, c.html answers HTML.
import { Hono } from "hono";
const hono = new Hono();
hono.get("/hi", (c) => {
  const name = c.req.query("name");
  // ruleid: xss
  return c.html(`<p>Hello ${name}</p>`);
});
hono.get("/go", (c) => {
  // ruleid: open-redirect
  return c.redirect(c.req.query("next") ?? "/");
});
hono.get("/home", (c) => {
  // ok: open-redirect
  return c.redirect("/home");
});
