package samples;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import samples.helpers.RequestValues;

public class ServletHelpers extends HttpServlet {
  private static final boolean AUDIT_MODE = false;
  private static final int THRESHOLD = 120;
  private Connection connection;

  @Override
  public void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    RequestValues values = new RequestValues(request);
    String name = values.named("name");
    String fixed = values.harmless("name");
    try {
      Statement st = connection.createStatement();
      // ruleid: sql-injection
      st.executeQuery("SELECT * FROM t WHERE n='" + name + "'");
      // ok: sql-injection
      st.executeQuery("SELECT * FROM t WHERE n='" + fixed + "'");
      // ruleid: sql-injection
      st.executeQuery("SELECT * FROM t WHERE n='" + RequestValues.trimmed(name) + "'");
      // ok: sql-injection
      st.executeQuery("SELECT * FROM t WHERE n=" + RequestValues.scrubbed(name));
      String chosen = "safe";
      if (AUDIT_MODE) {
        chosen = name;
      }
      // ok: sql-injection
      st.executeQuery("SELECT * FROM t WHERE n='" + chosen + "'");
      String picked = THRESHOLD > 100 ? name : "safe";
      // ruleid: sql-injection
      st.executeQuery("SELECT * FROM t WHERE n='" + picked + "'");
      String viaSwitch;
      switch ("beta") {
        case "alpha":
          viaSwitch = name;
          break;
        case "beta":
          viaSwitch = "constant";
          break;
        default:
          viaSwitch = name;
      }
      // ok: sql-injection
      st.executeQuery("SELECT * FROM t WHERE n='" + viaSwitch + "'");
      PreparedStatement ps = connection.prepareStatement("UPDATE t SET n = ? WHERE id = ?");
      ps.setString(1, name);
      ps.setInt(2, 7);
      // ok: sql-injection
      ps.executeUpdate();
      String sql = "SELECT * FROM t WHERE n = '" + name + "'";
      // ruleid: sql-injection
      PreparedStatement bad = connection.prepareStatement(sql);
      bad.execute();
    } catch (java.sql.SQLException e) {
      throw new IOException(e);
    }

    String[] names = request.getParameterValues("n");
    String first = names != null && names.length > 0 ? names[0] : "none";
    java.io.PrintWriter out = response.getWriter();
    // ruleid: xss
    out.print("<b>" + first + "</b>");
    // ok: xss
    out.print("<b>" + org.owasp.esapi.ESAPI.encoder().encodeForHTML(first) + "</b>");
    // ok: xss
    out.print("<b>" + org.springframework.web.util.HtmlUtils.htmlEscape(first) + "</b>");
    char[] chars = first.toCharArray();
    // ruleid: xss
    out.write(chars, 0, chars.length);

    // ruleid: header-injection
    Cookie c = new Cookie("pref", first);
    c.setHttpOnly(true);
    c.setSecure(true);
    response.addCookie(c);
    // ruleid: cookie-without-secure
    Cookie weak = new Cookie("pref", "x");
    weak.setHttpOnly(true);
    response.addCookie(weak);
  }
}
