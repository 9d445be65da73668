package samples.helpers;

class Passthrough implements Transform {
  @Override
  public String apply(String in) {
    return in.trim();
  }
}

class Buffered implements Transform {
  @Override
  public String apply(String in) {
    StringBuilder out = new StringBuilder();
    out.append(in);
    return out.toString();
  }
}

// Every implementation of Label answers a constant.
interface Label {
  String of(String in);
}

class FixedLabel implements Label {
  @Override
  public String of(String in) {
    return "label";
  }
}

abstract class Shortened implements Label {
  public abstract String of(String in);
}

class FirstWord extends Shortened {
  @Override
  public String of(String in) {
    return "word";
  }
}
