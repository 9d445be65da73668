function passthrough(value) {
  return String(value).trim();
}

module.exports = { passthrough };
