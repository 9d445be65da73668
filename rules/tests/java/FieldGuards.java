package samples.guards;

import java.sql.Connection;
import java.sql.Statement;
import javax.servlet.http.HttpServletRequest;

// A helper that reaches its sink only when a flag field of the object is
// set: the caller's value of that flag decides whether the call can.
public class FieldGuards {
  private Connection conn;
  private boolean direct = false;
  private boolean quoted = true;

  private void lookup(String name) throws Exception {
    if (direct) {
      Statement st = conn.createStatement();
      // ruleid: sql-injection
      st.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
    } else {
      System.out.println("queued " + name.length());
    }
  }

  private void remove(String name) throws Exception {
    if (!quoted) {
      Statement st = conn.createStatement();
      // ok: sql-injection
      st.executeUpdate("DELETE FROM users WHERE name = '" + name + "'");
    }
  }

  public void handle(HttpServletRequest request) throws Exception {
    String name = request.getParameter("name");
    direct = false;
    lookup(name);
    quoted = true;
    remove(name);
  }

  public void handleDirect(HttpServletRequest request) throws Exception {
    direct = true;
    lookup(request.getParameter("name"));
  }
}
