#pragma once
// Internal: builds JsonValue objects whose keys the caller already knows to
// be unique (the parser checked them; the validator copies a checked object).

#include "bulwark/validate/json.h"

namespace bulwark::validate {

struct JsonParserAccess {
  static JsonValue MakeObjectUnchecked(JsonValue::Object members) {
    return JsonValue(JsonValue::Data(std::in_place_index<6>, std::move(members)));
  }
};

}  // namespace bulwark::validate
