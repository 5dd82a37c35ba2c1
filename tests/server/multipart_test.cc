// multipart/form-data (server/http/multipart.h), the streamed form (server/files/form_upload.h)
// and storing an upload (server/files/stored_file.h), without a server; the routes are tested in
// files_routes_test.cc.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#define HEARTH_FUZZ_NO_MAIN
#include "files_fixture.h"
#include "fuzz/multipart_fuzz.cc"
#include "server/files/form_upload.h"
#include "server/files/images.h"
#include "server/files/stored_file.h"
#include "support/fuzz_corpus.h"
#include "support/temp_dir.h"

namespace hearth::server {
namespace {

using files::FormUpload;
using namespace std::string_literals;
using testing::form_end;
using testing::form_field;
using testing::form_file;

TEST(MultipartTest, EverySeedKeepsTheParserProperties) {
  EXPECT_GE(hearth::testing::replay_fuzz_corpus("multipart", fuzzing::check_multipart_input), 20);
}

TEST(MultipartTest, BoundaryComesFromAFormDataTypeOnly) {
  EXPECT_EQ(http::multipart_boundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(http::multipart_boundary("Multipart/Form-Data;boundary=\"a b\""), "a b");
  EXPECT_EQ(http::multipart_boundary("multipart/mixed; boundary=abc"), std::nullopt);
  EXPECT_EQ(http::multipart_boundary("multipart/form-data"), std::nullopt);
  EXPECT_EQ(http::multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')), std::nullopt);
  EXPECT_EQ(http::multipart_boundary("multipart/form-data; boundary=a; boundary=b"), std::nullopt);
  EXPECT_EQ(http::multipart_boundary("application/x-www-form-urlencoded"), std::nullopt);
}

TEST(MultipartTest, ABrowserBodyParsesTheSameInAnyChunking) {
  std::string body = form_field("client_message_id", "c1") +
                     form_file("attachment", "C:\\tmp\\a \\\"b\\\".txt", "text/plain", "line\r\n--not the end\r\n") +
                     form_end();
  fuzzing::RecordingSink sink;
  http::MultipartParser parser(std::string(testing::kBoundary), sink);
  for (char c : body) ASSERT_TRUE(parser.feed(std::string_view(&c, 1)).ok());  // as slowly as it can come
  ASSERT_TRUE(parser.finish().ok());
  ASSERT_EQ(sink.parts.size(), 2u);
  EXPECT_EQ(sink.parts[1], "attachment\0f:C:\\tmp\\a \"b\".txt\0text/plain\0line\r\n--not the end\r\n"s);
}

// A part's header block may be exactly kMaxHeaderBytes long, one more is refused, and the answer is
// the same whole or byte by byte (the fuzzer found a block of 4096 refused only when fed slowly).
TEST(MultipartTest, TheHeaderLimitIsTheSameInAnyChunking) {
  auto parses = [](const std::string& body, bool bytewise) {
    fuzzing::RecordingSink sink;
    http::MultipartParser parser(std::string(testing::kBoundary), sink);
    bool ok = true;
    if (bytewise) {
      for (size_t i = 0; i < body.size() && ok; ++i) ok = parser.feed(std::string_view(body).substr(i, 1)).ok();
    } else {
      ok = parser.feed(body).ok();
    }
    return ok && parser.finish().ok();
  };
  auto body_with_header_block = [](size_t size) {
    std::string prefix = "Content-Disposition: form-data; name=\"";
    std::string name(size - prefix.size() - 1, 'a');
    return "--" + std::string(testing::kBoundary) + "\r\n" + prefix + name + "\"\r\n\r\nv\r\n" + form_end();
  };
  for (bool bytewise : {false, true}) {
    EXPECT_TRUE(parses(body_with_header_block(http::MultipartParser::kMaxHeaderBytes), bytewise)) << bytewise;
    EXPECT_FALSE(parses(body_with_header_block(http::MultipartParser::kMaxHeaderBytes + 1), bytewise)) << bytewise;
  }
}

TEST(MultipartTest, StrictGrammarRefusesWhatBrowsersNeverSend) {
  auto refused = [](const std::string& body) {
    fuzzing::RecordingSink sink;
    http::MultipartParser parser(std::string(testing::kBoundary), sink);
    return !parser.feed(body).ok() || !parser.finish().ok();
  };
  std::string b(testing::kBoundary);
  EXPECT_FALSE(refused(form_field("a", "1") + form_end()));
  EXPECT_TRUE(refused("preamble\r\n" + form_field("a", "1") + form_end()));
  EXPECT_TRUE(refused(form_field("a", "1")));  // never closed
  EXPECT_TRUE(refused("--" + b + "--\r\n"));     // no parts
  EXPECT_TRUE(refused("--" + b + "\r\nContent-Type: text/plain\r\n\r\nx\r\n" + form_end()));  // no disposition
  EXPECT_TRUE(refused("--" + b + "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n" + form_end()));
  EXPECT_TRUE(refused("--" + b + "\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: base64\r\n\r\nx\r\n" + form_end()));
  EXPECT_TRUE(refused("--" + b + "\r\nContent-Disposition: form-data; name=\"" + std::string(5000, 'n') + "\"\r\n\r\nx\r\n" + form_end()));
  std::string many;
  for (int i = 0; i < 17; ++i) many += form_field("f" + std::to_string(i), "v");
  EXPECT_TRUE(refused(many + form_end()));
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int stored_count(const blobs::BlobStore& store) {
  int n = 0;
  EXPECT_TRUE(store.for_each([&](const std::string&) { ++n; }).ok());
  return n;
}

TEST(FormUploadTest, AFileStreamsToTheStoreOnlyWhenTheHandlerStoresIt) {
  hearth::testing::TempDir dir;
  blobs::BlobStore store(dir.path() / "blobs");
  auto form = files::parse_form(store, testing::multipart_type(),
                                form_field("client_message_id", "c1") +
                                    form_file("attachment", "notes.txt", "text/plain; charset=utf-8", "hello") + form_end(),
                                100);
  ASSERT_TRUE(form);
  ASSERT_EQ(form->outcome(), FormUpload::Outcome::kOk) << form->error();
  EXPECT_EQ(form->field("client_message_id"), "c1");
  EXPECT_EQ(stored_count(store), 0);  // not yet
  auto file = form->take_file();
  ASSERT_TRUE(file);
  auto blob = files::store_upload(store, std::move(file->writer), file->filename, file->content_type);
  ASSERT_TRUE(blob.ok()) << blob.error().to_string();
  EXPECT_EQ(blob->filename, "notes.txt");
  EXPECT_EQ(blob->content_type, "text/plain");
  EXPECT_EQ(blob->byte_size, 5u);
  EXPECT_EQ(blob->width, 0u);
  EXPECT_EQ(read_file(*store.find(blob->content_hash)), "hello");
  EXPECT_EQ(stored_count(store), 1);
}

TEST(FormUploadTest, AFileOverTheLimitIsTooLargeAndNothingIsStored) {
  hearth::testing::TempDir dir;
  blobs::BlobStore store(dir.path() / "blobs");
  auto form = files::parse_form(store, testing::multipart_type(),
                                form_file("attachment", "big.bin", "application/octet-stream", std::string(101, 'x')) +
                                    form_end(),
                                100);
  ASSERT_TRUE(form);
  EXPECT_EQ(form->outcome(), FormUpload::Outcome::kTooLarge);
  EXPECT_EQ(form->error_response(11).result(), http::Status::payload_too_large);
  EXPECT_FALSE(form->take_file());
  EXPECT_EQ(stored_count(store), 0);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path() / "blobs" / "incoming"));
}

TEST(FormUploadTest, AnEmptyFileInputIsNoFileAndTwoFilesAreRefused) {
  hearth::testing::TempDir dir;
  blobs::BlobStore store(dir.path() / "blobs");
  auto empty = files::parse_form(store, testing::multipart_type(), form_file("attachment", "", "application/octet-stream", "") + form_end(), 100);
  ASSERT_EQ(empty->outcome(), FormUpload::Outcome::kOk);
  EXPECT_FALSE(empty->take_file());
  auto two = files::parse_form(store, testing::multipart_type(),
                               form_file("a", "1.txt", "text/plain", "1") + form_file("b", "2.txt", "text/plain", "2") + form_end(), 100);
  EXPECT_EQ(two->outcome(), FormUpload::Outcome::kMalformed);
  EXPECT_EQ(two->error_response(11).result(), http::Status::bad_request);
  EXPECT_EQ(files::parse_form(store, "text/plain", "hello", 100), nullptr);  // not multipart: the caller reads it
}

TEST(StoredFileTest, AnImageGetsItsSizeAndAThumbnailThatFits) {
  hearth::testing::TempDir dir;
  blobs::BlobStore store(dir.path() / "blobs");
  // a 1600×1600 PNG, made from the tiny one
  auto tiny = store.put(testing::tiny_png(), 1000);
  ASSERT_TRUE(tiny.ok());
  auto big = files::square_png(*store.find(tiny->content_hash), files::ImageKind::kPng, 1600);
  ASSERT_TRUE(big.ok()) << big.error().to_string();
  auto blob = files::store_bytes(store, *big, "photo.png", "application/octet-stream", 1 << 24);
  ASSERT_TRUE(blob.ok()) << blob.error().to_string();
  EXPECT_EQ(blob->content_type, "image/png");  // the bytes decide, not the claim
  EXPECT_EQ(blob->width, 1600u);
  EXPECT_EQ(blob->height, 1600u);
  auto thumb = store.variant_path(blob->content_hash, files::kThumbnailVariant);
  ASSERT_TRUE(std::filesystem::exists(thumb));
  auto size = files::probe_image(thumb, files::ImageKind::kWebp);
  ASSERT_TRUE(size.ok()) << size.error().to_string();
  EXPECT_EQ(size->width, 800u);
  EXPECT_EQ(size->height, 800u);
  auto fitted = files::fit_within({1600, 1600}, files::kThumbnailWidth, files::kThumbnailHeight);
  EXPECT_EQ(fitted.width, 800u);
}

TEST(StoredFileTest, ANonImageNamedPngIsAPlainFile) {
  hearth::testing::TempDir dir;
  blobs::BlobStore store(dir.path() / "blobs");
  auto blob = files::store_bytes(store, "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
                                 "../../evil.png", "image/png", 1000);
  ASSERT_TRUE(blob.ok());
  EXPECT_EQ(blob->content_type, "application/octet-stream");
  EXPECT_EQ(blob->filename, "evil.png");
  EXPECT_EQ(blob->width, 0u);
  EXPECT_FALSE(std::filesystem::exists(store.variant_path(blob->content_hash, files::kThumbnailVariant)));
  // A truncated PNG: the right magic, unreadable after it.
  auto broken = files::store_bytes(store, testing::tiny_png().substr(0, 30), "cut.png", "image/png", 1000);
  ASSERT_TRUE(broken.ok());
  EXPECT_EQ(broken->content_type, "application/octet-stream");
  auto svg = files::store_bytes(store, "<svg/>", "x.svg", "image/svg+xml", 1000);
  ASSERT_TRUE(svg.ok());
  EXPECT_EQ(svg->content_type, "image/svg+xml");  // kept, and only ever served as a download
  EXPECT_FALSE(files::blob_image_kind(*svg));
}

TEST(StoredFileTest, FileNamesLoseTheirPathAndControlCharacters) {
  EXPECT_EQ(files::clean_filename("C:\\Users\\bo\\report.pdf"), "report.pdf");
  EXPECT_EQ(files::clean_filename("a/b/../c\r\n.txt"), "c.txt");
  EXPECT_EQ(files::clean_filename(".."), "file");
  EXPECT_EQ(files::clean_filename(""), "file");
  EXPECT_EQ(files::clean_filename(std::string(300, 'x')).size(), 255u);
  EXPECT_EQ(files::clean_filename(std::string(254, 'x') + "é").size(), 254u);  // a whole character or none
}

}  // namespace
}  // namespace hearth::server
