package samples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

// Numbers from input used as array indices (CWE-129) and capacities
// (CWE-789).
public class IndexAndCapacity extends HttpServlet {
  private static final int MAX_ITEMS = 1000;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    int data = Integer.parseInt(request.getParameter("n").trim());
    int[] array = {0, 1, 2, 3, 4};

    // ruleid: unchecked-array-index
    response.getWriter().println(array[data]);
    if (data < array.length) {
      // -1 passes an upper bound alone.
      // ruleid: unchecked-array-index
      array[data] = 1;
    }
    if (data >= 0) {
      // ruleid: unchecked-array-index
      array[data] = 1;
    }
    if (data >= 0 && data < array.length) {
      // ok: unchecked-array-index
      array[data] = 1;
    }
    if (data < 0 || data >= array.length) {
      return;
    }
    // ok: unchecked-array-index
    response.getWriter().println(array[data]);
  }

  protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
    int size = Integer.parseInt(request.getHeader("X-Count"));
    // ruleid: uncontrolled-allocation
    HashMap<String, String> byName = new HashMap<String, String>(size, 0.75f);
    // ruleid: uncontrolled-allocation
    List<Integer> items = new ArrayList<Integer>(size);
    if (size > 0 && size <= MAX_ITEMS) {
      // ok: uncontrolled-allocation
      HashSet<Integer> seen = new HashSet<Integer>(size);
    }
    if (size < MAX_ITEMS) {
      // A negative capacity throws; it allocates nothing.
      // ok: uncontrolled-allocation
      StringBuilder text = new StringBuilder(size);
    }
    // A copy of another collection is no capacity.
    List<String> names = new ArrayList<String>();
    names.add(request.getParameter("name"));
    // ok: uncontrolled-allocation
    List<String> copy = new ArrayList<String>(names);
    // The constant index of a fixed table.
    int fixed = 2;
    int[] table = {1, 2, 3};
    // ok: unchecked-array-index
    response.getWriter().println(table[fixed]);
    // A number parsed from input is no SQL, command or HTML.
    // ok: xss
    response.getWriter().println(size);
  }

  void fromSocket(Socket socket) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), "UTF-8"));
    String line = reader.readLine();
    int index = Integer.parseInt(line.trim());
    int[] counts = new int[10];
    if (index > -1 && index < 10) {
      // ok: unchecked-array-index
      counts[index]++;
    }
    // ruleid: unchecked-array-index
    counts[index] = 0;
  }
}
