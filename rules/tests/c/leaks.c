/* Memory allocated into a local and never released or handed on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cache {
  char *last;
};

void keep_somewhere(char *owned);

void greet(const char *name) {
  /* ruleid: memory-leak */
  char *line = (char *)malloc(strlen(name) + 8);
  if (line == NULL) return;
  snprintf(line, strlen(name) + 8, "hello %s", name);
  printf("%s\n", line);
}

void greet_and_free(const char *name) {
  /* ok: memory-leak */
  char *line = (char *)malloc(strlen(name) + 8);
  if (line == NULL) return;
  snprintf(line, strlen(name) + 8, "hello %s", name);
  puts(line);
  free(line);
}

char *make_copy(const char *s) {
  /* ok: memory-leak */
  char *copy = strdup(s);
  return copy;
}

void remember(struct cache *c, const char *s) {
  /* ok: memory-leak */
  char *copy = strdup(s);
  c->last = copy;
}

void hand_over(void) {
  /* ok: memory-leak */
  char *owned = (char *)calloc(1, 64);
  keep_somewhere(owned);
}

void freed_through_alias(void) {
  /* ok: memory-leak */
  char *p = (char *)malloc(16);
  char *q = p;
  free(q);
}

void counts(void) {
  int *totals;
  totals = NULL;
  /* ruleid: memory-leak */
  totals = (int *)calloc(10, sizeof(int));
  if (totals == NULL) exit(1);
  totals[0] = 1;
  printf("%d\n", totals[0]);
}
