package samples.helpers;

import javax.servlet.http.HttpServletRequest;

public class RequestValues {
  private final HttpServletRequest request;

  public RequestValues(HttpServletRequest request) {
    this.request = request;
  }

  public String named(String name) {
    String value = request.getParameter(name);
    return value == null ? "" : value;
  }

  public String harmless(String name) {
    return "fixed-value";
  }

  public static String trimmed(String in) {
    StringBuilder out = new StringBuilder();
    out.append(in.trim());
    return out.toString();
  }

  public static String scrubbed(String in) {
    return String.valueOf(Integer.parseInt(in));
  }
}
