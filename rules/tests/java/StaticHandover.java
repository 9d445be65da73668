package samples.handover;

import java.sql.Statement;
import samples.helpers.SharedState;

// A static field another class set from the request is read here.
public class StaticHandover {
  private Statement st;

  public void replay() throws Exception {
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM log WHERE q = '" + SharedState.lastQuery + "'");
    // ok: sql-injection
    st.executeQuery("SELECT * FROM log WHERE q = '" + SharedState.greeting + "'");
  }
}
