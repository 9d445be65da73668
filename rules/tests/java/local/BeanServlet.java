package samples.local;

import java.sql.Statement;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

// Values carried through a bean: the setter stores, the getter reads back.
public class BeanServlet extends HttpServlet {
  private Statement statement;

  public void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    Account tainted = new Account();
    tainted.setOwner(request.getParameter("owner"));
    tainted.setRegion("eu");
    // ruleid: sql-injection
    statement.executeQuery("SELECT * FROM accounts WHERE owner = '" + tainted.getOwner() + "'");
    // ok: sql-injection
    statement.executeQuery("SELECT * FROM accounts WHERE region = '" + tainted.getRegion() + "'");

    Account fixed = new Account();
    fixed.setOwner("system");
    // ok: sql-injection
    statement.executeQuery("SELECT * FROM accounts WHERE owner = '" + fixed.getOwner() + "'");

    // A class from a library (not in the scanned code): JavaBeans naming.
    com.example.dto.Customer customer = new com.example.dto.Customer();
    customer.setEmail(request.getParameter("email"));
    customer.setTier("gold");
    // ruleid: sql-injection
    statement.executeQuery("SELECT * FROM customers WHERE email = '" + customer.getEmail() + "'");
    // ok: sql-injection
    statement.executeQuery("SELECT * FROM customers WHERE tier = '" + customer.getTier() + "'");

    Account audited = new Account();
    audited.setOwnerLogged(request.getParameter("owner"));
    // ok: sql-injection
    statement.executeQuery("SELECT * FROM accounts WHERE owner = '" + audited.getOwner() + "'");
  }
}

class Account {
  private String owner;
  private String region;
  private String lastLogged;

  public void setOwner(String owner) { this.owner = owner; }
  public String getOwner() { return owner; }
  public void setRegion(String region) { this.region = region; }
  public String getRegion() { return this.region; }
  // Not a trivial setter: it stores the value elsewhere.
  public void setOwnerLogged(String value) { lastLogged = value; }
}

class AccountQuery {
  private final String owner;
  private final String table;

  AccountQuery(String owner, String table) {
    this.owner = owner;
    this.table = table;
  }

  java.sql.ResultSet byOwner(java.sql.Statement st) throws java.sql.SQLException {
    // ruleid: sql-injection
    return st.executeQuery("SELECT * FROM " + table + " WHERE owner = '" + owner + "'");
  }

  java.sql.ResultSet all(java.sql.Statement st) throws java.sql.SQLException {
    // ok: sql-injection
    return st.executeQuery("SELECT * FROM " + table);
  }
}

class AccountSearchServlet extends HttpServlet {
  private java.sql.Statement statement;

  public void doGet(HttpServletRequest request, HttpServletResponse response) throws Exception {
    AccountQuery q = new AccountQuery(request.getParameter("owner"), "accounts");
    q.byOwner(statement);
    q.all(statement);
  }
}
