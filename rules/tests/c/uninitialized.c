/* Locals read before any value was assigned to them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct point {
  int x;
  int y;
};

int count_items(const char *list) {
  int count;
  if (list == NULL) {
    /* ruleid: uninitialized-variable */
    return count;
  }
  count = (int)strlen(list);
  /* ok: uninitialized-variable */
  return count;
}

void print_name(void) {
  char *name;
  /* ruleid: uninitialized-variable */
  printf("%s\n", name);
}

void move_point(void) {
  struct point *p;
  /* ruleid: uninitialized-variable */
  p->x = 1;
}

void bump(void) {
  long total;
  /* ruleid: uninitialized-variable */
  total++;
}

void set_on_every_path(int mode) {
  int level;
  if (mode > 2) {
    level = 3;
  } else {
    level = mode;
  }
  /* ok: uninitialized-variable */
  printf("%d\n", level);
}

void set_on_one_path(int mode) {
  int level;
  if (mode > 2) level = 3;
  /* ok: uninitialized-variable */
  printf("%d\n", mode > 2 ? level : 0);  /* not on every path: not reported */
}

void written_by_callee(void) {
  int n;
  if (scanf("%d", &n) != 1) return;
  /* ok: uninitialized-variable */
  printf("%d\n", n);
  size_t len;
  /* ok: uninitialized-variable */
  printf("%zu\n", sizeof len);
}

void written_through_pointer(void) {
  int value;
  int *where = &value;
  *where = 7;
  /* ok: uninitialized-variable */
  printf("%d\n", value);
}

void static_is_zero(void) {
  static int calls;
  /* ok: uninitialized-variable */
  calls++;
}

void loop_then_read(int n) {
  int i;
  for (i = 0; i < n; i++) {
    /* ok: uninitialized-variable */
    printf("%d\n", i);
  }
}
