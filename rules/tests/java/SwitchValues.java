package samples.switches;

import java.sql.Statement;
import javax.servlet.http.HttpServletRequest;

// Switch expressions choose one arm; a constant subject decides which.
public class SwitchValues {
  private Statement st;

  public void handle(HttpServletRequest request) throws Exception {
    String name = request.getParameter("name");
    int mode = 2;
    String picked = switch (mode) {
      case 1 -> "guest";
      case 2, 3 -> name;
      default -> "nobody";
    };
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM users WHERE name = '" + picked + "'");

    String fixed = switch (mode) {
      case 1 -> name;
      case 2, 3 -> "admin";
      default -> name;
    };
    // ok: sql-injection
    st.executeQuery("SELECT * FROM users WHERE name = '" + fixed + "'");

    // A subject from the request: any arm.
    String chosen = switch (request.getParameter("m")) {
      case "a" -> "fixed";
      default -> name.trim();
    };
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM users WHERE name = '" + chosen + "'");
  }
}
