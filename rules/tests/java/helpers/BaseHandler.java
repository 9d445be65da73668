package samples.helpers;

import javax.servlet.http.HttpServlet;

// Helpers a servlet inherits.
public abstract class BaseHandler extends HttpServlet {
  protected String tidy(String s) {
    return s.trim();
  }

  protected String placeholder(String s) {
    return "n/a";
  }
}
