package samples.handoff;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutput;
import java.io.ObjectOutputStream;
import java.sql.Statement;
import javax.servlet.http.HttpServletRequest;

// A value serialized into a byte buffer through a wrapping stream and read
// back on the other side is the same value.
public class SerializedHandoff {
  private Statement st;

  public void send(HttpServletRequest request) throws Exception {
    String name = request.getParameter("name");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ObjectOutput out = new ObjectOutputStream(bytes);
    out.writeObject(name);
    out.close();
    receive(bytes.toByteArray());

    ByteArrayOutputStream fixed = new ByteArrayOutputStream();
    ObjectOutput fixedOut = new ObjectOutputStream(fixed);
    fixedOut.writeObject("guest");
    fixedOut.close();
    receiveFixed(fixed.toByteArray());

    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(raw);
    data.writeUTF(name);
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM t WHERE a = '" + raw.toString("UTF-8") + "'");
  }

  private void receive(byte[] serialized) throws Exception {
    ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized));
    String name = (String) in.readObject();
    // ruleid: sql-injection
    st.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
  }

  private void receiveFixed(byte[] serialized) throws Exception {
    ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized));
    String name = (String) in.readObject();
    // ok: sql-injection
    st.executeQuery("SELECT * FROM users WHERE name = '" + name + "'");
  }
}
