package samples.patterns;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

// instanceof patterns bind the tested value to a new name.
public class PatternBindings {
  public void handle(HttpServletRequest request, HttpServletResponse response) throws Exception {
    Object value = request.getParameter("v");
    if (value instanceof String text) {
      // ruleid: xss
      response.getWriter().println(text);
    }
    Object fixed = "fixed";
    if (fixed instanceof String label && !label.isEmpty()) {
      // ok: xss
      response.getWriter().println(label);
    }
    if (!(value instanceof String s)) {
      return;
    }
    // ruleid: xss
    response.getWriter().println(s);
  }
}
