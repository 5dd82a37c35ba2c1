#pragma once
// Builds small Campfire databases of our own, through the same tables Rails uses: the current
// schema (schema.rb, alphabetical columns) or the original one (the first migrations' order,
// users.active, no bans/settings/singleton_guard/status) — for the cases the shared fixture lacks.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/sqlite/db.h"

namespace hearth::testing {

class CampfireBuilder {
 public:
  enum class Schema { kCurrent, kOriginal };
  CampfireBuilder(const std::filesystem::path& path, Schema schema);

  // Runs SQL (one or more statements); fails the test on error.
  void sql(const std::string& statements);
  void account(const std::string& name = "Campfire", const std::string& join_code = "abcd-efgh-ijkl");
  // status: 0 active, 1 deactivated, 2 banned (the original schema stores active = status == 0).
  void user(int64_t id, const std::string& name, const std::string& email, int role = 0, int status = 0,
            const std::string& digest = "$2a$12$abcdefghijklmnopqrstuuJ0Tq1dMBTQb1HyIxyFzHjoFPkXHQZIa",
            const std::string& bot_token = "");
  void room(int64_t id, const std::string& type, const std::string& name, int64_t creator = 1);
  void member(int64_t room, int64_t user, const std::string& involvement = "mentions", bool unread = false);
  void message(int64_t id, int64_t room, int64_t creator, const std::string& created_at, const std::string* body,
               const std::string& client_id = "cid");
  void boost(int64_t id, int64_t message, int64_t booster, const std::string& content);
  // An attachment (blob + attachment row) on a message; its file is the caller's to place.
  void attachment(int64_t message, int64_t blob_id, const std::string& key, const std::string& filename, int64_t size);

  // The sgid of a user mention in the Rails >= 7.1 JSON form or the older Marshal form.
  static std::string sgid(int64_t user, bool legacy = false);
  static std::string mention(int64_t user, bool legacy = false);

 private:
  sqlite::Db db_;
  Schema schema_;
};

}  // namespace hearth::testing
