package samples.anonymous;

import java.sql.Connection;
import java.sql.SQLException;
import javax.servlet.http.HttpServletRequest;

// An anonymous class reads the effectively final locals around it.
public class AnonymousClasses {
  private Connection conn;

  public void handle(HttpServletRequest request) throws Exception {
    final String name = request.getParameter("name");
    Thread worker = new Thread(new Runnable() {
      @Override
      public void run() {
        try {
          // ruleid: sql-injection
          conn.createStatement().executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    });
    worker.start();

    final String fixed = "guest";
    new Thread(new Runnable() {
      @Override
      public void run() {
        try {
          // ok: sql-injection
          conn.createStatement().executeQuery("SELECT * FROM users WHERE name = '" + fixed + "'");
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    }).start();
  }
}
