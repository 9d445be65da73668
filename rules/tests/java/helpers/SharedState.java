package samples.helpers;

import javax.servlet.http.HttpServletRequest;

// Values handed between classes through static fields.
public class SharedState {
  public static String lastQuery;
  public static String greeting = "hello";

  public static void capture(HttpServletRequest request) {
    lastQuery = request.getParameter("q");
  }
}
