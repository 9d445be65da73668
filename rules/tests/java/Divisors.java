import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.security.SecureRandom;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

public class Divisors {
  public void perPage(HttpServletRequest request, HttpServletResponse response) throws IOException {
    int total = 1000;
    int size = Integer.parseInt(request.getParameter("size"));
    // ruleid: divide-by-zero
    response.getWriter().println(total / size);
    if (size != 0) {
      // ok: divide-by-zero
      response.getWriter().println(total % size);
    }
  }

  public void randomShard() {
    int shards = new SecureRandom().nextInt();
    // ruleid: divide-by-zero
    System.out.println(42 % shards);
    int fixed = 8;
    // ok: divide-by-zero
    System.out.println(42 % fixed);
  }

  public void scale() throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    float factor = Float.parseFloat(in.readLine().trim());
    // ruleid: divide-by-zero
    System.out.println(100.0 / factor);
    if (Math.abs(factor) > 0.000001) {
      // ok: divide-by-zero
      System.out.println(100.0 / factor);
    }
  }
}
