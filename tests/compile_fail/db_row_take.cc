// Row::Take moves a value out of a Row that is being discarded: it must not
// compile on a Row that is still in use (see cmake/RunCompileFail.cmake).
#include <string>

#include "bulwark/db/rows.h"

using bulwark::db::Row;

void Use(Row& row, Row&& finished) {
  // The control: Get on any Row, Take on one that is being discarded.
  (void)row.Get<std::string>(0);
  (void)std::move(finished).Take<std::string>(0);

#if BULWARK_CF_CASE == 0
// expect: .*
#endif

#if BULWARK_CF_CASE == 1
// expect: as .*this.* argument discards qualifiers|no matching (member )?function|cannot bind|candidate function not viable
  // An lvalue Row: its text would be moved out from under later readers.
  (void)row.Take<std::string>(0);
#endif

#if BULWARK_CF_CASE == 2
// expect: as .*this.* argument discards qualifiers|no matching (member )?function|cannot bind|candidate function not viable
  const Row& view = row;
  (void)std::move(view).Take<std::string>("email");
#endif
}
