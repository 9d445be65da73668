/* Numbers from input, or random ones, used as divisors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

void per_item(int total) {
  const char *count_text = getenv("ITEMS_PER_PAGE");
  if (count_text == NULL) return;
  int count = atoi(count_text);
  /* ruleid: divide-by-zero */
  printf("%d\n", total / count);
  if (count != 0) {
    /* ok: divide-by-zero */
    printf("%d\n", total % count);
  }
}

void from_stdin(void) {
  int n = 0;
  if (scanf("%d", &n) != 1) return;
  if (n <= 0) return;
  /* ok: divide-by-zero */
  printf("%d\n", 1000 / n);
}

void random_bucket(int items) {
  /* ruleid: insecure-random */
  int buckets = rand();
  /* ruleid: divide-by-zero */
  printf("%d\n", items / buckets);
  /* ok: divide-by-zero */
  printf("%d\n", items / (buckets % 8 + 1));
}

void ratio(void) {
  char line[32];
  double scale = 1.0;
  if (fgets(line, sizeof line, stdin) != NULL) scale = strtod(line, NULL);
  /* ruleid: divide-by-zero */
  printf("%f\n", 100.0 / scale);
  if (fabs(scale) > 0.000001) {
    /* ok: divide-by-zero */
    printf("%f\n", 100.0 / scale);
  }
}

static int share(int total, int parts) {
  /* ruleid: divide-by-zero */
  return total / parts;
}

void shares_from_environment(void) {
  const char *v = getenv("PARTS");
  int parts = v ? atoi(v) : 1;
  printf("%d\n", share(100, parts));
}

void fixed_divisor(void) {
  int parts = 4;
  /* ok: divide-by-zero */
  printf("%d\n", 100 / parts);
}
