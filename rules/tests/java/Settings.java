import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import javax.servlet.http.HttpServletRequest;

public class Settings {
  public void switchCatalog(HttpServletRequest request) throws SQLException {
    Connection connection = DriverManager.getConnection(System.getenv("DB_URL"));
    String catalog = request.getParameter("catalog");
    // ruleid: external-setting-control
    connection.setCatalog(catalog);
    // ok: external-setting-control
    connection.setCatalog("orders");
    String region = request.getParameter("region");
    String chosen = "eu".equals(region) ? "orders_eu" : "orders_us";
    // ok: external-setting-control
    connection.setCatalog(chosen);
  }

  public Object load(HttpServletRequest request) throws Exception {
    // ruleid: unsafe-reflection
    Class<?> type = Class.forName(request.getParameter("type"));
    // ruleid: unsafe-reflection
    Object m = type.getMethod(request.getParameter("method"));
    // ok: unsafe-reflection
    Class<?> fixed = Class.forName("java.util.ArrayList");
    return m.toString() + fixed.getName();
  }
}
