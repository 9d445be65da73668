package samples.spring;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.*;

// Spring binds request values to typed parameters only if they parse: a
// list or Optional of numbers carries no text; a list of strings does.
@RestController
public class SpringTypedParams {
  private JdbcTemplate jdbc;

  @GetMapping("/items")
  public String items(@RequestParam List<Long> ids, @RequestParam Optional<Integer> limit,
                      @RequestParam List<String> names, @RequestParam Set<java.util.UUID> tags) {
    // ok: sql-injection
    jdbc.execute("DELETE FROM items WHERE id IN (" + ids + ") AND tag IN (" + tags + ")");
    // ok: sql-injection
    jdbc.execute("SELECT * FROM items LIMIT " + limit.orElse(10));
    // ruleid: sql-injection
    jdbc.execute("DELETE FROM items WHERE name IN ('" + String.join("','", names) + "')");
    return "ok";
  }
}
