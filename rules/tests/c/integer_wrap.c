/* Numbers from input, or random ones, in arithmetic that can wrap. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void next_ticket(void) {
  int ticket = 0;
  if (scanf("%d", &ticket) != 1) return;
  /* ruleid: integer-overflow */
  int next = ticket + 1;
  printf("%d\n", next);
  if (ticket < INT_MAX) {
    /* ok: integer-overflow */
    next = ticket + 1;
    printf("%d\n", next);
  }
}

void previous_page(void) {
  char line[16];
  int page = 0;
  if (fgets(line, sizeof line, stdin) != NULL) page = atoi(line);
  /* ruleid: integer-underflow */
  page--;
  printf("%d\n", page);
}

void previous_page_checked(void) {
  char line[16];
  int page = 0;
  if (fgets(line, sizeof line, stdin) != NULL) page = atoi(line);
  if (page > INT_MIN) {
    /* ok: integer-underflow */
    printf("%d\n", page - 1);
  }
}

void doubled(void) {
  /* ruleid: insecure-random */
  int n = rand();
  if (n > 0) {
    /* ruleid: integer-overflow */
    printf("%d\n", n * 2);
    if (n < INT_MAX / 2) {
      /* ok: integer-overflow, integer-underflow */
      printf("%d\n", n * 2);
    }
  }
}

void squared(void) {
  /* ruleid: insecure-random */
  int n = rand();
  if (abs(n) <= 46340) {
    /* ok: integer-overflow, integer-underflow */
    printf("%d\n", n * n);
  }
}

static int plus_header(int body_length) {
  /* ruleid: integer-overflow */
  return body_length + 16;
}

void sized_from_environment(void) {
  const char *v = getenv("BODY_LENGTH");
  if (v == NULL) return;
  printf("%d\n", plus_header(atoi(v)));
}

/* Arithmetic on sizes computed from input, and on pointers, is not judged:
 * real code does it everywhere, with checks this rule cannot see. */
void computed_sizes(char *buf, size_t n) {
  char line[64];
  if (fgets(line, sizeof line, stdin) == NULL) return;
  size_t len = strlen(line);
  /* ok: integer-overflow */
  size_t total = len + n;
  /* ok: integer-underflow */
  char *end = buf + total - 1;
  (void)end;
}

void copy_pointer(unsigned char *p, size_t got) {
  unsigned char *q = p;
  /* ok: integer-overflow */
  q = q + got;
  (void)q;
}
