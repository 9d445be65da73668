// A small exported class that keeps the last value it was given.
class LastValue {
  constructor() {
    this.value = "";
  }

  remember(v) {
    this.value = v;
  }

  recall() {
    return this.value;
  }
}

module.exports = LastValue;
