/* Branches on flags defined in flags_defs.c: only the live one counts. */
#include <stdio.h>
#include <stdlib.h>

extern int featureEnabled;
extern int legacyMode;
extern const int kMaxUsers;
extern int counter;

void show_banner(void) {
  char name[64];
  if (fgets(name, sizeof name, stdin) == NULL) return;
  if (featureEnabled) {
    printf("%s\n", name);
  } else {
    /* ok: format-string */
    printf(name);
  }
  if (legacyMode) {
    /* ok: format-string */
    printf(name);
  }
  if (kMaxUsers != 5) {
    /* ok: format-string */
    printf(name);
  }
  if (counter == 0) {
    /* counter is written in bump(): either branch may run. */
    /* ruleid: format-string */
    /* ok: non-literal-format (the taint finding proves it) */
    printf(name);
  }
}
