package samples.streams;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

// map() results are what the mapping function returns for the elements.
public class StreamResults {
  public void handle(HttpServletRequest request, HttpServletResponse response) throws Exception {
    String tags = request.getParameter("tags");
    String trimmed = Arrays.stream(tags.split(",")).map(t -> t.trim()).collect(Collectors.joining(","));
    // ruleid: xss
    response.getWriter().print(trimmed);
    String counted = Arrays.stream(tags.split(",")).map(t -> "tag").collect(Collectors.joining(","));
    // ok: xss
    response.getWriter().print(counted);

    String name = request.getParameter("name");
    // ruleid: xss
    response.getWriter().print(Optional.ofNullable(name).map(n -> {
      return "<b>" + n + "</b>";
    }).orElse(""));
    // ok: xss
    response.getWriter().print(Optional.ofNullable(name).map(n -> "present").orElse("absent"));
    // ok: xss
    response.getWriter().print(Optional.ofNullable(name).map(n -> n.length()).orElse(0));
  }
}
