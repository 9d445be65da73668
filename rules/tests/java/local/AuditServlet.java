package samples.local;

import java.io.IOException;
import java.sql.Statement;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class AuditServlet extends HttpServlet {
  private Statement statement;

  public void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String param = request.getParameter("user");
    String bar = new Helper().pick(param);
    try {
      // ruleid: sql-injection
      statement.executeQuery("SELECT * FROM audit WHERE user = '" + bar + "'");
    } catch (java.sql.SQLException e) {
      throw new IOException(e);
    }
  }

  private class Helper {
    String pick(String param) {
      return param;
    }
  }
}
