package samples.local;

import java.io.IOException;
import java.sql.Statement;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

// Two servlets each declare a private helper class named Helper: calls
// resolve to the one in the same file.
public class ReportServlet extends HttpServlet {
  private Statement statement;

  public void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String param = request.getParameter("report");
    String bar = new Helper().pick(param);
    try {
      // ok: sql-injection
      statement.executeQuery("SELECT * FROM reports WHERE name = '" + bar + "'");
    } catch (java.sql.SQLException e) {
      throw new IOException(e);
    }
    String dir = "/srv/reports";
    try {
      // ruleid: command-injection
      Runtime.getRuntime().exec(new String[] {"report", param}, null, new java.io.File(dir));
      // ok: command-injection
      Runtime.getRuntime().exec(new String[] {"report", "--all"}, null, new java.io.File(dir));
    } catch (IOException e) {
      throw e;
    }
  }

  private class Helper {
    String pick(String param) {
      int limit = 86;
      if ((7 * 42) - limit > 200) return "default_report";
      return param;
    }
  }
}
