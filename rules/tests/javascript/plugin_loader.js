// An exported class whose methods are the package's API.
const { execSync } = require("child_process");

const KNOWN = ["lint", "test", "build"];

class Tasks {
  describeAll() {
    // The callback gets this method's own constants, not a caller's values.
    // ok: command-injection
    return KNOWN.map((task) => execSync("npm run " + task + " --help").toString());
  }

  describe(task) {
    // ruleid: command-injection
    return execSync("npm run " + task + " --help").toString();
  }

  load(name) {
    // ruleid: code-injection
    return require("./tasks/" + name);
  }

  loadDefault() {
    // ok: code-injection
    return require("./tasks/" + KNOWN[0]);
  }
}

module.exports = Tasks;
