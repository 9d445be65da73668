// A package's object helpers: the caller chooses the path and the source
// object, so "__proto__" reaches Object.prototype unless refused.

function setPath(obj, path, value) {
  const keys = Array.isArray(path) ? path : path.split(".");
  let cur = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    // From the second key on, cur may be Object.prototype already.
    // ruleid: prototype-pollution
    if (typeof cur[k] !== "object" || cur[k] === null) cur[k] = {};
    cur = cur[k];
  }
  // ruleid: prototype-pollution
  cur[keys[keys.length - 1]] = value;
  return obj;
}

function setPathSafe(obj, path, value) {
  const keys = path.split(".");
  let cur = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i];
    if (k === "__proto__" || k === "constructor" || k === "prototype") return obj;
    if (typeof cur[k] !== "object" || cur[k] === null) cur[k] = {};
    // ok: prototype-pollution
    cur = cur[k];
  }
  const last = keys[keys.length - 1];
  if (last === "__proto__" || last === "constructor") return obj;
  // ok: prototype-pollution
  cur[last] = value;
  return obj;
}

function merge(target, source) {
  for (const key of Object.keys(source)) {
    if (source[key] && typeof source[key] === "object") {
      if (!target[key]) target[key] = {};
      // ruleid: prototype-pollution
      merge(target[key], source[key]);
    } else {
      target[key] = source[key];
    }
  }
  return target;
}

// The recursion inside a callback: the same deep merge.
function extend(dest, src) {
  Object.keys(src).forEach(function (k) {
    if (src[k] && typeof src[k] === "object") {
      dest[k] = dest[k] || {};
      // ruleid: prototype-pollution
      extend(dest[k], src[k]);
    } else {
      dest[k] = src[k];
    }
  });
  return dest;
}

function extendChecked(dest, src) {
  Object.keys(src).forEach(function (k) {
    if (k === "__proto__" || k === "constructor") return;
    if (src[k] && typeof src[k] === "object") {
      dest[k] = dest[k] || {};
      // ok: prototype-pollution
      extendChecked(dest[k], src[k]);
    } else {
      dest[k] = src[k];
    }
  });
  return dest;
}

// One level: obj["__proto__"] = v only replaces obj's own prototype.
function assign(obj, key, value) {
  // ok: prototype-pollution
  obj[key] = value;
  return obj;
}

// Two levels chosen by the caller.
function setIn(obj, section, key, value) {
  // ruleid: prototype-pollution
  obj[section][key] = value;
}

// Keys the package chose (a Symbol): the caller's options only fill the
// object, they never pick where it goes.
const kHeaders = Symbol("headers");
class Agent {
  constructor(opts) {
    this[kHeaders] = opts.headers || {};
    // ok: prototype-pollution
    this[kHeaders]["proxy-authorization"] = "Basic " + opts.auth;
  }
}

module.exports = { setPath, setPathSafe, merge, extend, extendChecked, assign, setIn, Agent };
