#include "migrate/import_report.h"

#include <iomanip>

namespace hearth::migrate {

EntityReport& ImportReport::entity(const std::string& name) {
  auto [it, inserted] = entities_.try_emplace(name);
  if (inserted) order_.push_back(name);
  return it->second;
}

const EntityReport* ImportReport::find(const std::string& name) const {
  auto it = entities_.find(name);
  return it == entities_.end() ? nullptr : &it->second;
}

void ImportReport::skip(const std::string& name, int64_t source_id, const std::string& reason) {
  EntityReport& e = entity(name);
  ++e.skipped;
  SkipReason& r = e.skips[reason];
  ++r.count;
  if (r.first_ids.size() < kShownIds) r.first_ids.push_back(source_id);
}

void ImportReport::print(std::ostream& out) const {
  out << std::left << std::setw(28) << "entity" << std::right << std::setw(10) << "read" << std::setw(10)
      << "imported" << std::setw(10) << "skipped" << "\n";
  for (const auto& name : order_) {
    const EntityReport& e = entities_.at(name);
    out << std::left << std::setw(28) << name << std::right << std::setw(10) << e.read << std::setw(10)
        << e.imported << std::setw(10) << e.skipped << "\n";
    for (const auto& [reason, r] : e.skips) {
      out << "    skipped " << r.count << ": " << reason;
      if (!r.first_ids.empty()) {
        out << " (ids";
        for (size_t i = 0; i < r.first_ids.size(); ++i) out << (i ? ", " : " ") << r.first_ids[i];
        out << (static_cast<size_t>(r.count) > r.first_ids.size() ? ", ...)" : ")");
      }
      out << "\n";
    }
  }
  for (const auto& n : notes_) out << "note: " << n << "\n";
  out << events << " events written in " << elapsed_ms << " ms";
  if (messages_per_second > 0) out << " (" << messages_per_second << " messages/s)";
  out << "\n";
}

}  // namespace hearth::migrate
