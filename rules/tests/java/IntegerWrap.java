import java.security.SecureRandom;
import javax.servlet.http.HttpServletRequest;

public class IntegerWrap {
  public int nextQuantity(HttpServletRequest request) {
    int quantity = Integer.parseInt(request.getParameter("quantity"));
    // ruleid: integer-overflow
    int next = quantity + 1;
    if (quantity < Integer.MAX_VALUE) {
      // ok: integer-overflow
      next = quantity + 1;
    }
    // ok: integer-overflow
    String label = "" + quantity;
    return next + label.length();
  }

  public int randomOffset() {
    int offset = new SecureRandom().nextInt();
    // ruleid: integer-underflow
    return offset - 10;
  }

  public int fixedOffset() {
    int offset = 5;
    // ok: integer-underflow
    return offset - 10;
  }
}
