#pragma once
// What `hearth import` tells the operator at the end: per entity, rows read, imported and
// skipped, each skip with its reason and the first few source ids; plus notes on documented
// choices (placeholder users, files kept without content, ...).
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace hearth::migrate {

struct SkipReason {
  int64_t count = 0;
  std::vector<int64_t> first_ids;  // up to kShownIds source ids
};

struct EntityReport {
  int64_t read = 0;
  int64_t imported = 0;
  int64_t skipped = 0;
  std::map<std::string, SkipReason> skips;  // reason -> rows
};

class ImportReport {
 public:
  static constexpr size_t kShownIds = 10;

  // Entities print in the order they were first named.
  EntityReport& entity(const std::string& name);
  const EntityReport* find(const std::string& name) const;
  void read(const std::string& name, int64_t n = 1) { entity(name).read += n; }
  void imported(const std::string& name, int64_t n = 1) { entity(name).imported += n; }
  void skip(const std::string& name, int64_t source_id, const std::string& reason);
  void note(std::string text) { notes_.push_back(std::move(text)); }

  const std::vector<std::string>& notes() const { return notes_; }
  int64_t events = 0;
  int64_t elapsed_ms = 0;
  int64_t log_ms = 0;  // reading the source, writing the log and (alongside) the projections
  int64_t messages_per_second = 0;

  void print(std::ostream& out) const;

 private:
  std::vector<std::string> order_;
  std::map<std::string, EntityReport> entities_;
  std::vector<std::string> notes_;
};

}  // namespace hearth::migrate
