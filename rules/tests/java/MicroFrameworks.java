package samples.micro;

import io.javalin.Javalin;
import io.javalin.http.Context;

// Javalin and Spark handlers: the context or request object carries the
// input; html() and redirect() answer with it.
public class MicroFrameworks {
  void javalin(Javalin app) {
    app.get("/hello", ctx -> {
      String name = ctx.queryParam("name");
      // ruleid: xss
      ctx.html("<p>Hello " + name + "</p>");
      // ok: xss
      ctx.result("Hello " + name);
      // ruleid: open-redirect
      ctx.redirect(ctx.queryParam("next"));
      // ok: open-redirect
      ctx.redirect("/home");
    });
    app.post("/run/{tool}", ctx -> {
      // ruleid: command-injection
      Runtime.getRuntime().exec("run " + ctx.pathParam("tool"));
    });
  }

  Object spark(spark.Request request, spark.Response response) throws Exception {
    String id = request.params(":id");
    java.sql.Connection c = java.sql.DriverManager.getConnection(System.getenv("DB_URL"));
    // ruleid: sql-injection
    c.createStatement().executeQuery("SELECT * FROM items WHERE id = '" + id + "'");
    // ok: sql-injection
    c.prepareStatement("SELECT * FROM items WHERE id = ?").setString(1, id);
    // ruleid: open-redirect
    response.redirect(request.queryParams("next"));
    return "";
  }
}
