// Replays fuzz/corpus/event through the fuzz target's own body (fuzz/event_fuzz_body.h) in the
// normal build, so every ctest run re-checks every seed and every past find (STYLE 19, as
// SQLite's fuzzcheck does), whether or not clang and libFuzzer are around.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "fuzz/event_fuzz_body.h"

namespace hearth::testing {
namespace {

namespace fs = std::filesystem;

struct Input {
  std::string name;
  std::vector<uint8_t> bytes;
};

std::vector<Input> corpus() {
  std::vector<Input> inputs;
  const fs::path dir = fs::path(HEARTH_SOURCE_DIR) / "fuzz" / "corpus" / "event";
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    Input i{entry.path().filename().string(),
            std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>())};
    inputs.push_back(std::move(i));
  }
  std::sort(inputs.begin(), inputs.end(), [](const Input& a, const Input& b) { return a.name < b.name; });
  return inputs;
}

class EventFuzzCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto f = fuzzing::EventFuzzer::open();
    ASSERT_TRUE(f.ok()) << f.error().to_string();
    fuzzer_ = std::move(*f);
    inputs_ = corpus();
    ASSERT_FALSE(inputs_.empty()) << "no corpus in " HEARTH_SOURCE_DIR "/fuzz/corpus/event";
  }

  std::unique_ptr<fuzzing::EventFuzzer> fuzzer_;
  std::vector<Input> inputs_;
};

TEST_F(EventFuzzCorpusTest, EveryCorpusInputRunsCleanly) {
  for (const auto& in : inputs_) {
    auto out = fuzzer_->run(in.bytes);
    EXPECT_FALSE(out.violation.has_value()) << in.name << ": " << *out.violation;
  }
}

// The seeds are named for what they are: valid-* pass the verifier, bad-* do not.
TEST_F(EventFuzzCorpusTest, SeedsAreValidOrMalformedAsNamed) {
  for (const auto& in : inputs_) {
    const bool want_valid = in.name.starts_with("valid-");
    if (!want_valid && !in.name.starts_with("bad-")) continue;  // a fuzzer find: either is fine
    EXPECT_EQ(fuzzer_->run(in.bytes).valid, want_valid) << in.name;
  }
}

TEST_F(EventFuzzCorpusTest, CorpusHoldsAValidEventOfEveryType) {
  std::set<uint32_t> types;
  for (const auto& in : inputs_) {
    if (fuzzer_->run(in.bytes).valid) types.insert(fuzzing::event_from_input(in.bytes).type);
  }
  for (uint32_t t = 1; t <= static_cast<uint32_t>(schema::Payload::MAX); ++t) {
    EXPECT_TRUE(types.contains(t)) << "no valid seed of type " << event_type_name(t)
                                   << ": regenerate with fuzz/make_corpus.cc";
  }
}

// Rows per table, as one comparable string.
std::string table_sizes(sqlite::Db& db) {
  std::string out;
  auto tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  if (!tables) return tables.error().message;
  for (;;) {
    auto row = tables->step();
    if (!row) return row.error().message;
    if (!*row) break;
    std::string name(tables->col_text(0));
    auto n = db.query_int("SELECT count(*) FROM \"" + name + "\"");
    out += name + "=" + (n.ok() ? std::to_string(n->value_or(0)) : n.error().message) + " ";
  }
  return out;
}

TEST_F(EventFuzzCorpusTest, EachInputLeavesTheProjectionAsItFoundIt) {
  const std::string before = table_sizes(fuzzer_->db());
  int applied = 0;
  for (const auto& in : inputs_) {
    applied += fuzzer_->run(in.bytes).applied ? 1 : 0;
    EXPECT_EQ(table_sizes(fuzzer_->db()), before) << "after " << in.name;
  }
  EXPECT_GT(applied, 0) << "no seed applied at all: the rollback check would prove nothing";
}

// Every prefix of every seed: the torn and truncated payloads a disk or a bug could produce.
TEST_F(EventFuzzCorpusTest, EveryPrefixOfEverySeedRunsCleanly) {
  for (const auto& in : inputs_) {
    for (size_t n = 0; n < in.bytes.size(); ++n) {
      auto out = fuzzer_->run(std::span<const uint8_t>(in.bytes.data(), n));
      ASSERT_FALSE(out.violation.has_value()) << in.name << " cut to " << n << " bytes: " << *out.violation;
    }
  }
}

}  // namespace
}  // namespace hearth::testing
