package samples.deferred;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

// Work kept in a variable to run later: a Runnable for a thread or an
// executor. The locals it captures are effectively final, so what it reads
// when it runs is what they hold where it is written.
public class DeferredWork {
  private Connection conn;
  private ExecutorService pool;

  public void handle(HttpServletRequest request, HttpServletResponse response) throws Exception {
    final String name = request.getParameter("name");
    Runnable lookup = () -> {
      try {
        // ruleid: sql-injection
        conn.createStatement().executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    };
    new Thread(lookup).start();

    final String fixed = "guest";
    Runnable audit = () -> {
      try {
        // ok: sql-injection
        conn.createStatement().executeQuery("SELECT * FROM users WHERE name = '" + fixed + "'");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    };
    pool.submit(audit);

    final String path = request.getParameter("path");
    // ruleid: path-traversal
    Runnable reader = () -> new java.io.File("/srv/data/" + path).delete();
    pool.submit(reader);
    // The parameter is the caller's to bind, not the request's.
    java.util.function.Consumer<String> remover = p -> {
      // ok: path-traversal
      new java.io.File("/srv/data/" + p).delete();
    };
    remover.accept("cache");
  }
}
