#include "server/previews/image_cache.h"

namespace hearth::server::previews {
namespace {

size_t cost(const std::string& url, const std::shared_ptr<const std::string>& webp) {
  return url.size() + (webp ? webp->size() : 0);
}

}  // namespace

std::optional<std::shared_ptr<const std::string>> ImageCache::find(const std::string& url) {
  std::lock_guard lock(mu_);
  auto it = index_.find(url);
  if (it == index_.end()) return std::nullopt;
  if (Clock::now() - it->second->at > limits_.ttl) {
    erase(it->second);
    return std::nullopt;
  }
  order_.splice(order_.begin(), order_, it->second);
  return it->second->webp;
}

void ImageCache::put(const std::string& url, std::shared_ptr<const std::string> webp) {
  std::lock_guard lock(mu_);
  if (auto it = index_.find(url); it != index_.end()) erase(it->second);
  if (cost(url, webp) > limits_.max_bytes) return;
  order_.push_front(Entry{url, std::move(webp), Clock::now()});
  index_[url] = order_.begin();
  bytes_ += cost(url, order_.front().webp);
  while (order_.size() > limits_.max_entries || bytes_ > limits_.max_bytes) erase(std::prev(order_.end()));
}

size_t ImageCache::size() const {
  std::lock_guard lock(mu_);
  return order_.size();
}

void ImageCache::erase(std::list<Entry>::iterator it) {
  bytes_ -= cost(it->url, it->webp);
  index_.erase(it->url);
  order_.erase(it);
}

}  // namespace hearth::server::previews
