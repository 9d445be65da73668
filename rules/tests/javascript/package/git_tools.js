// An npm package's entry point: whoever requires it chooses the arguments
// of what it exports, so building a command or code from them is the bug
// (the shape of most npm command-injection advisories).
const { exec, execSync, execFile } = require("child_process");
const quote = require("shell-quote").quote;

module.exports = function clone(url, dir) {
  // ruleid: command-injection
  exec("git clone " + url + " " + dir, () => {});
};

module.exports.listing = (dir) => {
  // ruleid: command-injection
  return execSync(`ls -la ${dir}`).toString();
};

module.exports.archive = function (name) {
  // ruleid: command-injection
  exec(["tar", "czf", name + ".tgz", name].join(" "));
};

// The caller's whole command: running it is what the function is for.
exports.run = function (cmd, done) {
  // ok: command-injection
  exec(cmd, done);
};

// No shell: an argument is only an argument.
exports.convert = (file) => {
  // ok: command-injection
  execFile("convert", [file, "out.png"], () => {});
};

// Quoted for the shell.
exports.show = (ref) => {
  // ok: command-injection
  exec("git show " + quote([ref]));
};

// Built by a helper: still the caller's string inside a command.
function pingCommand(host) {
  return "ping -c 1 " + host;
}

exports.ping = (host) => {
  // ruleid: command-injection
  exec(pingCommand(host));
};

// Not exported, and only ever called with a constant.
function rebuild(target) {
  // ok: command-injection
  exec("make " + target);
}
rebuild("all");

// An exported helper's result carries only what its arguments carry: the
// package's own call with a constant gets a clean string back.
function tag(name) {
  return name.trim();
}
exports.tag = tag;
// ok: command-injection
exec("git tag " + tag("v1.0.0"));

// Private by convention.
class Repo {
  constructor(path) {
    this.path = path;
  }
  checkout(branch) {
    // ruleid: command-injection
    execSync("git -C repo checkout " + branch);
  }
  _gc(flags) {
    // ok: command-injection
    execSync("git gc " + flags);
  }
}
exports.Repo = Repo;

exports.compile = function (expr) {
  // ruleid: code-injection
  return new Function("scope", "with (scope) { return " + expr + "; }");
};

exports.evaluate = function (code) {
  // The caller's own code, run as asked.
  // ok: code-injection
  return eval(code);
};

// Wrapped in a Promise: the executor callback captures the caller's url.
exports.download = (url) =>
  new Promise((resolve, reject) => {
    // ruleid: command-injection
    exec("curl -fsSL " + url, (err, out) => (err ? reject(err) : resolve(out)));
  });
