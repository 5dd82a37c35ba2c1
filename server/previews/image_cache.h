#pragma once
// The link-preview image proxy's memory of recent answers, by URL: the thumbnail, or "none" (a
// refused or unusable image, so a broken picture is not fetched again at every render). Bounded
// in entries and in bytes, least recently used out first; an entry is forgotten after `ttl` (a
// page may change its picture; a failure may have been passing).
//
// Thread safety: every member may be called from any thread.
#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace hearth::server::previews {

class ImageCache {
 public:
  using Clock = std::chrono::steady_clock;
  struct Limits {
    size_t max_entries = 256;
    size_t max_bytes = 16u << 20;
    std::chrono::seconds ttl{600};
  };
  explicit ImageCache(Limits limits) : limits_(limits) {}

  // nullopt: unknown (fetch it); a null pointer: known to have no image; else the WebP.
  std::optional<std::shared_ptr<const std::string>> find(const std::string& url);
  // `webp` null records "no image".
  void put(const std::string& url, std::shared_ptr<const std::string> webp);
  size_t size() const;

 private:
  struct Entry {
    std::string url;
    std::shared_ptr<const std::string> webp;
    Clock::time_point at;
  };
  void erase(std::list<Entry>::iterator it);  // with mu_ held

  Limits limits_;
  mutable std::mutex mu_;
  std::list<Entry> order_;  // most recent first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  size_t bytes_ = 0;
};

}  // namespace hearth::server::previews
