package samples.helpers;

public final class TransformFactory {
  private TransformFactory() {}

  public static Transform create(String mode) {
    if ("buffered".equals(mode)) {
      return new Buffered();
    }
    return new Passthrough();
  }

  public static Label label() {
    return new FixedLabel();
  }

  public static Shortened shortened() {
    return new FirstWord();
  }
}
