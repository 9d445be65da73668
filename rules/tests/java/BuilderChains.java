package samples.chains;

import java.io.PrintWriter;
import java.sql.Statement;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

// Builders and writers whose methods return themselves, and a builder
// edited in place.
public class BuilderChains {
  private Statement st;

  public void handle(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String who = request.getParameter("who");
    // ruleid: xss
    response.getWriter().append("Hello ").append(who);
    // ok: xss
    response.getWriter().append("Hello ").append("world");
    PrintWriter out = response.getWriter();
    // ruleid: xss
    out.append("<p>").append(who).append("</p>");

    // StringBuilder.replace(start, end, text) puts text into the builder.
    StringBuilder sql = new StringBuilder("SELECT * FROM t WHERE a = 'x'");
    sql.replace(27, 28, who);
    // ruleid: sql-injection
    st.executeQuery(sql.toString());
    StringBuilder fixed = new StringBuilder("SELECT * FROM t WHERE a = 'x'");
    fixed.replace(27, 28, "y");
    // ok: sql-injection
    st.executeQuery(fixed.toString());
    // String.replace returns a new string; the receiver is unchanged.
    String base = "SELECT * FROM t";
    String unused = base.replace("t", who);
    // ok: sql-injection
    st.executeQuery(base);
    // ruleid: sql-injection
    st.executeQuery(unused);
  }
}
