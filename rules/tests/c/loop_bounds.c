/* Loop counts and wait times taken from input. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_ITEMS 100

void repeat_greeting(void) {
  char line[16];
  int count = 0;
  int i;
  if (fgets(line, sizeof line, stdin) == NULL) return;
  count = atoi(line);
  /* ruleid: unchecked-loop-condition */
  for (i = 0; i < count; i++) {
    puts("hello");
  }
  if (count > 0 && count <= MAX_ITEMS) {
    /* ok: unchecked-loop-condition */
    for (i = 0; i < count; i++) {
      puts("hello");
    }
  }
}

void fixed_loop(void) {
  int count = 10;
  int i;
  /* ok: unchecked-loop-condition */
  for (i = 0; i < count; i++) puts("x");
}

void wait_requested(void) {
  int seconds = 0;
  if (scanf("%d", &seconds) != 1) return;
  /* ruleid: uncontrolled-resource-consumption */
  sleep((unsigned)seconds);
  if (seconds <= 5) {
    /* ok: uncontrolled-resource-consumption */
    sleep((unsigned)seconds);
  }
  /* ok: uncontrolled-resource-consumption */
  sleep(1);
}
