package samples.inherited;

import java.sql.Statement;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import samples.helpers.BaseHandler;

// Methods inherited from a project base class run their own code, whether
// called by bare name, on `this`, or on another instance; and a method that
// sets a field of `this` leaves it set for the caller.
public class InheritedHelpers extends BaseHandler {
  private Statement st;
  private String remembered;

  private void remember(String v) {
    this.remembered = v;
  }

  public void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String q = request.getParameter("q");
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + tidy(q) + "'");
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + placeholder(q) + "'");
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + this.placeholder(q) + "'");
    InheritedHelpers other = new InheritedHelpers();
    // ok: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + other.placeholder(q) + "'");
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a='" + other.tidy(q) + "'");

    remember(q);
    // ruleid: xss
    response.getWriter().print(remembered);
    remember("fixed");
    // ok: xss
    response.getWriter().print(this.remembered);
  }
}
