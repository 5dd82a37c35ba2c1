// The content-addressed blob store (core/blobs/blob_store.h): what a write leaves on disk, and
// what it leaves when it fails.
#include "core/blobs/blob_store.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/temp_dir.h"

namespace hearth::blobs {
namespace {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t incoming_files(const BlobStore& store) {
  std::error_code ec;
  size_t n = 0;
  for (std::filesystem::directory_iterator it(store.dir() / "incoming", ec), end; !ec && it != end; it.increment(ec)) ++n;
  return n;
}

TEST(BlobStoreTest, AStreamedWriteIsNamedByTheSha256OfItsBytes) {
  testing::TempDir dir;
  BlobStore store(BlobStore::dir_in(dir.path()));
  auto w = store.begin(100);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->write(std::string_view("hello ")).ok());
  ASSERT_TRUE(w->write(std::string_view("world")).ok());
  auto stored = w->finish();
  ASSERT_TRUE(stored.ok()) << stored.error().to_string();
  // sha256("hello world")
  EXPECT_EQ(stored->content_hash, "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  EXPECT_EQ(stored->byte_size, 11u);
  auto path = store.find(stored->content_hash);
  ASSERT_TRUE(path);
  EXPECT_EQ(*path, dir.path() / "blobs" / "b9" / stored->content_hash);
  EXPECT_EQ(read_file(*path), "hello world");
  EXPECT_EQ(incoming_files(store), 0u);
}

TEST(BlobStoreTest, TheSameBytesTwiceAreOneFile) {
  testing::TempDir dir;
  BlobStore store(dir.path() / "blobs");
  auto a = store.put("same", 10), b = store.put("same", 10);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->content_hash, b->content_hash);
  int count = 0;
  ASSERT_TRUE(store.for_each([&](const std::string&) { ++count; }).ok());
  EXPECT_EQ(count, 1);
  EXPECT_EQ(incoming_files(store), 0u);
}

TEST(BlobStoreTest, TheLimitStopsAWriteMidStreamAndNothingIsKept) {
  testing::TempDir dir;
  BlobStore store(dir.path() / "blobs");
  auto w = store.begin(8);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->write(std::string_view("12345678")).ok());  // exactly the limit is fine
  EXPECT_FALSE(w->write(std::string_view("9")).ok());
  EXPECT_TRUE(w->too_large());
  EXPECT_FALSE(w->finish().ok());
  EXPECT_EQ(incoming_files(store), 0u);
  int count = 0;
  ASSERT_TRUE(store.for_each([&](const std::string&) { ++count; }).ok());
  EXPECT_EQ(count, 0);
}

TEST(BlobStoreTest, AnAbandonedWriteLeavesNothing) {
  testing::TempDir dir;
  BlobStore store(dir.path() / "blobs");
  {
    auto w = store.begin(100);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE(w->write(std::string_view("partial")).ok());
    EXPECT_EQ(incoming_files(store), 1u);
  }
  EXPECT_EQ(incoming_files(store), 0u);
}

TEST(BlobStoreTest, LookupTakesOnlyHashesSoNoNameWalksOutOfTheStore) {
  testing::TempDir dir;
  BlobStore store(dir.path() / "blobs");
  std::ofstream(dir.path() / "secret") << "x";
  EXPECT_FALSE(store.find("../secret"));
  EXPECT_FALSE(store.find(std::string(64, 'A')));  // upper case is not a hash here
  EXPECT_FALSE(store.find(std::string(64, 'a')));  // well-formed, not stored
  EXPECT_FALSE(store.remove("../secret").ok());
  EXPECT_FALSE(store.put_variant(std::string(64, 'a'), "../x", "y").ok());
}

TEST(BlobStoreTest, RemovingABlobRemovesItsVariants) {
  testing::TempDir dir;
  BlobStore store(dir.path() / "blobs");
  auto s = store.put("image bytes", 100);
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(store.put_variant(s->content_hash, "thumb.webp", "small").ok());
  EXPECT_EQ(read_file(store.variant_path(s->content_hash, "thumb.webp")), "small");
  int count = 0;
  ASSERT_TRUE(store.for_each([&](const std::string&) { ++count; }).ok());
  EXPECT_EQ(count, 1);  // variants are not blobs
  ASSERT_TRUE(store.remove(s->content_hash).ok());
  EXPECT_FALSE(store.find(s->content_hash));
  EXPECT_FALSE(std::filesystem::exists(store.variant_path(s->content_hash, "thumb.webp")));
  EXPECT_TRUE(store.remove(s->content_hash).ok());  // already gone is fine
}

}  // namespace
}  // namespace hearth::blobs
