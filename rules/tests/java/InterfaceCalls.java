package samples.dispatch;

import java.sql.Connection;
import java.sql.Statement;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import samples.helpers.Label;
import samples.helpers.Shortened;
import samples.helpers.Transform;
import samples.helpers.TransformFactory;

// Calls through an interface or abstract type run the project's
// implementations of it: their union decides what the result carries.
public class InterfaceCalls {
  private Connection conn;

  interface Greeter {
    String greet(String name);
  }

  static class EchoGreeter implements Greeter {
    public String greet(String name) {
      return "Hello " + name;
    }
  }

  static class FixedGreeter implements Greeter {
    public String greet(String name) {
      return "Hello";
    }
  }

  // A project class implementing a library interface: a call through that
  // interface elsewhere may run any implementation, not necessarily this.
  class Audit implements java.util.function.Function<String, String> {
    public String apply(String s) {
      try {
        // ok: sql-injection
        conn.createStatement().executeUpdate("INSERT INTO audit VALUES ('" + s + "')");
      } catch (java.sql.SQLException e) {
        throw new IllegalStateException(e);
      }
      return s;
    }
  }

  public String transform(HttpServletRequest request, java.util.function.Function<String, String> f) {
    return f.apply(request.getParameter("q"));
  }

  public void handle(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String input = request.getParameter("q");
    Statement st = conn.createStatement();

    Transform t = TransformFactory.create(request.getHeader("X-Mode"));
    String shaped = t.apply(input);
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + shaped + "'");

    Label label = TransformFactory.label();
    String named = label.of(input);
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + named + "'");

    Shortened s = TransformFactory.shortened();
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + s.of(input) + "'");

    // A class named with its package is that library class, even when a
    // project class has a method of the same name (TransformFactory.create).
    // ruleid: ssrf
    java.net.URI.create(input).toURL().openStream().close();
    // ok: ssrf
    java.net.URI.create("https://api.example.com/v1").toURL().openStream().close();

    // The object made is known: its own class's method runs.
    Greeter echo = new EchoGreeter();
    // ruleid: xss
    response.getWriter().print(echo.greet(input));
    Greeter fixed = new FixedGreeter();
    // ok: xss
    response.getWriter().print(fixed.greet(input));
  }
}
