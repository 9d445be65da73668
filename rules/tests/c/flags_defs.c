/* Project-wide configuration flags: defined once, never written. */
int featureEnabled = 1;
int legacyMode = 0;
const int kMaxUsers = 5;
int counter = 0;

void bump(void) { counter = counter + 1; }
