// Validating a typical ~1 KiB registration body: bulwark (simdjson parse +
// schema + NFC/NFKC normalization) against valijson (Boost.JSON parse + JSON
// Schema validation) on the same document, with valijson's schema generated
// by Schema::ToJsonSchema from the same declaration. Prints the ratio.
//
//   build/<dir>/src/validate/validate_bench
#include <benchmark/benchmark.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "bulwark/validate/schema.h"

namespace {

using namespace bulwark::validate;

const Schema& RegistrationSchema() {
  static const Schema schema =
      Schema::Compile(
          Rule::Object({
              Field("email", Rule::String().WithFormat(Format::kEmail).MaxLength(254)),
              Field("password", Rule::String().Length(12, 128).WithNormalization(Normalization::kNone)),
              Field("username", Rule::String()
                                    .WithNormalization(Normalization::kNfkcCasefold)
                                    .WithFormat(Format::kIdentifier)
                                    .Length(3, 32)),
              Field("display_name", Rule::String().Length(1, 64)),
              Field("locale", Rule::String().Pattern("[a-z]{2}(-[A-Z]{2})?")),
              Field("timezone", Rule::String().MaxLength(64).Pattern("[A-Za-z_]+(/[A-Za-z_]+){0,2}")),
              Field("birth_date", Rule::String().WithFormat(Format::kDate)).Optional(),
              Field("accept_terms", Rule::Boolean()),
              Field("marketing_opt_in", Rule::Boolean()).Optional(),
              Field("phone", Rule::String().Pattern("\\+[1-9][0-9]{6,14}")).Optional(),
              Field("website", Rule::String().WithFormat(Format::kUrl)).Optional(),
              Field("invite_id", Rule::String().WithFormat(Format::kUuid)).Optional(),
              Field("address",
                    Rule::Object({
                        Field("street", Rule::String().Length(1, 128)),
                        Field("city", Rule::String().Length(1, 64)),
                        Field("postal_code", Rule::String().Pattern("[A-Za-z0-9 -]{3,10}")),
                        Field("country", Rule::String().OneOf({"DE", "FR", "US", "GB", "NL", "ES", "IT", "PL"})),
                    })),
              Field("interests", Rule::Array(Rule::String().Length(1, 32)).Items(0, 10)).Optional(),
              Field("referral_code", Rule::String().Pattern("[A-Z0-9]{8}")).Optional(),
              Field("bio", Rule::String().MaxLength(500).AllowNewlines()).Optional(),
              Field("age", Rule::Integer().Range(13, 150)).Optional(),
          }))
          .value();
  return schema;
}

const std::string& Body() {
  static const std::string body = R"({
  "email": "zoe.mueller@example.org",
  "password": "correct horse battery staple 42",
  "username": "Zoe_Mueller",
  "display_name": "Zoë Müller-Łukasiewicz",
  "locale": "de-DE",
  "timezone": "Europe/Berlin",
  "birth_date": "1991-04-17",
  "accept_terms": true,
  "marketing_opt_in": false,
  "phone": "+4915112345678",
  "website": "https://zoe.example.org/about",
  "invite_id": "3f2b8c4e-9a1d-4e6f-b2c3-7d8e9f0a1b2c",
  "address": {
    "street": "Straße des 17. Juni 135",
    "city": "Berlin",
    "postal_code": "10623",
    "country": "DE"
  },
  "interests": ["security", "cryptography", "hiking", "jazz", "C++", "open source"],
  "referral_code": "AB12CD34",
  "bio": "Security engineer in Berlin. I like building systems that fail closed, reading RFCs on the train, and long walks along the Spree. Formerly at a payments company, now working on identity. Café regular; Müsli enthusiast.\nFind me at meetups about applied cryptography and secure-by-default APIs.",
  "age": 33
})";
  return body;
}

struct Valijson {
  valijson::Schema schema;
  Valijson() {
    boost::json::value doc = boost::json::parse(RegistrationSchema().ToJsonSchema(true));
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::BoostJsonAdapter adapter(doc);
    parser.populateSchema(adapter, schema);
  }
  bool Validate(const std::string& body) const {
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(body, ec);
    if (ec) return false;
    valijson::Validator validator;
    valijson::adapters::BoostJsonAdapter adapter(value);
    return validator.validate(schema, adapter, nullptr);
  }
};

const Valijson& TheValijson() {
  static const Valijson v;
  return v;
}

void BM_Bulwark(benchmark::State& state) {
  const Schema& schema = RegistrationSchema();
  const std::string& body = Body();
  for (auto _ : state) {
    auto result = schema.ValidateBody(body);
    if (!result.ok()) state.SkipWithError("bulwark rejected the body");
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_Bulwark);

// The parse step alone (simdjson + duplicate-key, UTF-8 and limit checks).
void BM_BulwarkParseOnly(benchmark::State& state) {
  const std::string& body = Body();
  for (auto _ : state) {
    auto result = ParseJson(body);
    benchmark::DoNotOptimize(result);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_BulwarkParseOnly);

void BM_Valijson(benchmark::State& state) {
  const Valijson& v = TheValijson();
  const std::string& body = Body();
  for (auto _ : state) {
    bool ok = v.Validate(body);
    if (!ok) state.SkipWithError("valijson rejected the body");
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_Valijson);

class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    // CPU time: other processes on a shared machine inflate wall time.
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      if (run.run_type == Run::RT_Iteration) {
        ns_.emplace(run.run_name.function_name, run.GetAdjustedCPUTime());
      } else if (run.aggregate_name == "median") {
        ns_[run.run_name.function_name] = run.GetAdjustedCPUTime();
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> ns_;
};

}  // namespace

int main(int argc, char** argv) {
  // Both validators must agree on the document before anything is timed.
  const auto bulwark_ok = RegistrationSchema().ValidateBody(Body());
  if (!bulwark_ok.ok() || !TheValijson().Validate(Body())) {
    std::fprintf(stderr, "the benchmark body does not validate\n");
    return 1;
  }
  std::string bad = Body();
  bad.replace(bad.find("\"DE\""), 4, "\"XX\"");
  if (RegistrationSchema().ValidateBody(bad).ok() || TheValijson().Validate(bad)) {
    std::fprintf(stderr, "a bad body was accepted\n");
    return 1;
  }
  std::printf("body: %zu bytes\n", Body().size());
  benchmark::Initialize(&argc, argv);
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  auto b = reporter.ns_.find("BM_Bulwark");
  auto v = reporter.ns_.find("BM_Valijson");
  if (b != reporter.ns_.end() && v != reporter.ns_.end()) {
    std::printf("CPU time per body: bulwark %.2f us, valijson %.2f us: bulwark is %.1fx faster "
                "(goal >= 5x)\n",
                b->second / 1000.0, v->second / 1000.0, v->second / b->second);
  }
  return 0;
}
