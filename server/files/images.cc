#include "server/files/images.h"

#include <vips/vips.h>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace hearth::server::files {
namespace {

// libvips is started once per process, with its untrusted loaders blocked, no operation cache
// (it would keep files open and memory held across requests) and one worker thread per call (the
// server's threads are its concurrency).
void start_vips() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("hearth") != 0) return;  // every later call then fails and says why
    vips_block_untrusted_set(TRUE);
    vips_cache_set_max(0);
    vips_concurrency_set(1);
  });
}

std::string vips_failure(std::string_view what) {
  std::string out(what);
  const char* detail = vips_error_buffer();
  if (detail != nullptr && *detail != '\0') {
    out += ": ";
    out += detail;
    while (!out.empty() && out.back() == '\n') out.pop_back();
  }
  vips_error_clear();
  return out;
}

struct Unref {
  void operator()(VipsImage* p) const {
    if (p != nullptr) g_object_unref(p);
  }
};
using Image = std::unique_ptr<VipsImage, Unref>;

// The loader of `kind`, by name: never libvips' format guess.
Result<Image> load(const std::filesystem::path& file, ImageKind kind) {
  start_vips();
  VipsImage* out = nullptr;
  const char* f = file.c_str();
  int rc = -1;
  switch (kind) {
    case ImageKind::kPng: rc = vips_pngload(f, &out, "fail_on", VIPS_FAIL_ON_ERROR, nullptr); break;
    case ImageKind::kJpeg: rc = vips_jpegload(f, &out, "fail_on", VIPS_FAIL_ON_ERROR, nullptr); break;
    case ImageKind::kGif: rc = vips_gifload(f, &out, "fail_on", VIPS_FAIL_ON_ERROR, nullptr); break;
    case ImageKind::kWebp: rc = vips_webpload(f, &out, "fail_on", VIPS_FAIL_ON_ERROR, nullptr); break;
  }
  Image image(out);
  if (rc != 0 || !image) return invalid(vips_failure("not a readable image"));
  uint64_t w = static_cast<uint64_t>(vips_image_get_width(image.get()));
  uint64_t h = static_cast<uint64_t>(vips_image_get_height(image.get()));
  if (w == 0 || h == 0 || w * h > kMaxPixels) return invalid("the image is too large to decode");
  return image;
}

Result<std::string> save(VipsImage* image, bool png) {
  void* buf = nullptr;
  size_t len = 0;
  int rc = png ? vips_pngsave_buffer(image, &buf, &len, "strip", TRUE, nullptr)
               : vips_webpsave_buffer(image, &buf, &len, "strip", TRUE, "Q", 80, nullptr);
  if (rc != 0) return Error{ErrorCode::kInvalid, vips_failure("cannot encode the image")};
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  return out;
}

}  // namespace

std::optional<ImageKind> sniff_image(std::string_view h) {
  auto starts = [&](std::string_view magic) { return h.substr(0, magic.size()) == magic; };
  if (starts("\x89PNG\r\n\x1a\n")) return ImageKind::kPng;
  if (starts("\xff\xd8\xff")) return ImageKind::kJpeg;
  if (starts("GIF87a") || starts("GIF89a")) return ImageKind::kGif;
  if (h.size() >= 12 && starts("RIFF") && h.substr(8, 4) == "WEBP") return ImageKind::kWebp;
  return std::nullopt;
}

std::string_view image_mime(ImageKind kind) {
  switch (kind) {
    case ImageKind::kPng: return "image/png";
    case ImageKind::kJpeg: return "image/jpeg";
    case ImageKind::kGif: return "image/gif";
    case ImageKind::kWebp: return "image/webp";
  }
  return "application/octet-stream";
}

Result<ImageSize> probe_image(const std::filesystem::path& file, ImageKind kind) {
  auto image = load(file, kind);
  if (!image.ok()) return image.take_error();
  return ImageSize{static_cast<uint32_t>(vips_image_get_width(image->get())),
                   static_cast<uint32_t>(vips_image_get_height(image->get()))};
}

ImageSize fit_within(ImageSize size, uint32_t max_width, uint32_t max_height) {
  if (size.width == 0 || size.height == 0) return size;
  double scale = std::min({1.0, static_cast<double>(max_width) / size.width, static_cast<double>(max_height) / size.height});
  auto side = [scale](uint32_t v) { return std::max<uint32_t>(1, static_cast<uint32_t>(std::lround(v * scale))); };
  return ImageSize{side(size.width), side(size.height)};
}

Result<std::string> resize_to_webp(const std::filesystem::path& file, ImageKind kind, ImageSize to) {
  auto image = load(file, kind);
  if (!image.ok()) return image.take_error();
  VipsImage* out = nullptr;
  if (vips_thumbnail_image(image->get(), &out, static_cast<int>(to.width), "height", static_cast<int>(to.height),
                           "size", VIPS_SIZE_FORCE, nullptr) != 0) {
    return invalid(vips_failure("cannot resize the image"));
  }
  Image resized(out);
  return save(resized.get(), false);
}

Result<std::string> square_png(const std::filesystem::path& file, ImageKind kind, uint32_t side) {
  auto image = load(file, kind);
  if (!image.ok()) return image.take_error();
  VipsImage* out = nullptr;
  if (vips_thumbnail_image(image->get(), &out, static_cast<int>(side), "height", static_cast<int>(side), "crop",
                           VIPS_INTERESTING_CENTRE, "size", VIPS_SIZE_BOTH, nullptr) != 0) {
    return invalid(vips_failure("cannot resize the image"));
  }
  Image resized(out);
  return save(resized.get(), true);
}

}  // namespace hearth::server::files
