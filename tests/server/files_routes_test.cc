// Attachments, avatars and the logo over HTTP (docs/api.md "Files"), against a real server: the
// size limit, content types, SVG never inline, members only, a removed message's file gone, the
// avatar really 512 px, a non-image named .png, the initials fallback.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

#include "api_world.h"
#include "core/sqlite/db.h"
#include "files_fixture.h"
#include "http_client.h"
#include "server/files/images.h"
#include "server/files/placeholder_images.h"

namespace hearth::testing {
namespace {

namespace json = boost::json;
using HttpStatus = server::http::Status;
using Response = server::http::Response;

constexpr uint64_t kLimit = 64 * 1024;

class FilesApiTest : public ApiWorld {
 protected:
  void configure(server::Config& config) override { config.max_upload_bytes = kLimit; }
  Headers form_headers(const Session& s) {
    Headers h = s.headers();
    h.emplace_back("Content-Type", multipart_type());
    return h;
  }
  Response upload(const Session& s, int64_t room, const std::string& client_id, const std::string& filename,
                  const std::string& type, const std::string& bytes) {
    return call(port_, Verb::post, "/api/rooms/" + std::to_string(room) + "/attachments",
                form_field("client_message_id", client_id) + form_file("attachment", filename, type, bytes) + form_end(),
                form_headers(s));
  }
  Response get(const Session& s, const std::string& target) { return call(port_, Verb::get, target, "", s.headers(false)); }
  int64_t first_room(const Session& s) { return bootstrap(s).at("rooms").at(0).at("id").as_int64(); }
  json::object message_in_page(const Session& s, int64_t room, int64_t id) {
    auto page = body_of(get(s, "/api/rooms/" + std::to_string(room) + "/messages"));
    for (auto& m : page.at("messages").as_array()) {
      if (m.at("id").as_int64() == id) return m.as_object();
    }
    ADD_FAILURE() << "message " << id << " not in the page";
    return {};
  }
  std::filesystem::path blob_path(const std::string& hash) { return dir_.path() / "data" / "blobs" / hash.substr(0, 2) / hash; }
  std::string attachment_hash(int64_t id) {
    auto db = sqlite::Db::open(dir_.file("data/state.sqlite3"), sqlite::Db::Mode::kReadOnly);
    auto s = db->prepare("SELECT attachment_hash FROM messages WHERE id = ?");
    s->bind(1, id);
    auto row = s->step();
    return row.ok() && *row ? std::string(s->col_text(0)) : std::string();
  }
  size_t stored_blobs() {
    size_t n = 0;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir_.path() / "data" / "blobs", ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file() && it->path().filename().string().size() == 64) ++n;
    }
    return n;
  }
  std::string big_png(int side) {
    TempDir tmp;
    auto path = tmp.path() / "tiny.png";
    { std::ofstream(path, std::ios::binary) << tiny_png(); }
    auto png = server::files::square_png(path, server::files::ImageKind::kPng, static_cast<uint32_t>(side));
    EXPECT_TRUE(png.ok());
    return png.ok() ? *png : "";
  }
};

TEST_F(FilesApiTest, AnImageAndATextFileArePostedAndServedWithTheirTypes) {
  auto ada = first_run();
  int64_t room = first_room(ada);
  auto image = upload(ada, room, "c-img", "photo.png", "image/png", big_png(1600));
  ASSERT_EQ(image.result(), HttpStatus::created) << image.body();
  int64_t image_id = body_of(image).at("id").as_int64();
  auto text = upload(ada, room, "c-txt", "notes.txt", "text/plain", "hello, file");
  ASSERT_EQ(text.result(), HttpStatus::created) << text.body();
  int64_t text_id = body_of(text).at("id").as_int64();

  auto m = message_in_page(ada, room, image_id);
  auto& a = m.at("attachment").as_object();
  EXPECT_EQ(a.at("filename").as_string(), "photo.png");
  EXPECT_EQ(a.at("content_type").as_string(), "image/png");
  EXPECT_EQ(a.at("width").as_int64(), 1600);
  EXPECT_EQ(a.at("thumbnail_width").as_int64(), 800);
  EXPECT_EQ(a.at("thumbnail_height").as_int64(), 800);
  std::string url(a.at("url").as_string()), thumb(a.at("thumbnail_url").as_string());

  auto full = get(ada, url);
  EXPECT_EQ(full.result(), HttpStatus::ok);
  EXPECT_EQ(full[server::http::bhttp::field::content_type], "image/png");
  EXPECT_EQ(full[server::http::bhttp::field::content_disposition], "");  // inline
  EXPECT_EQ(full["X-Content-Type-Options"], "nosniff");
  auto small = get(ada, thumb);
  EXPECT_EQ(small.result(), HttpStatus::ok);
  EXPECT_EQ(small[server::http::bhttp::field::content_type], "image/webp");

  auto t = message_in_page(ada, room, text_id).at("attachment").as_object();
  EXPECT_FALSE(t.contains("thumbnail_url"));
  auto file = get(ada, std::string(t.at("url").as_string()));
  EXPECT_EQ(file.result(), HttpStatus::ok);
  EXPECT_EQ(file.body(), "hello, file");
  EXPECT_EQ(file[server::http::bhttp::field::content_type], "text/plain");
  EXPECT_EQ(file[server::http::bhttp::field::content_disposition],
            "attachment; filename=\"notes.txt\"; filename*=UTF-8''notes.txt");
  EXPECT_EQ(get(ada, std::string(t.at("url").as_string()) + "/thumbnail").result(), HttpStatus::not_found);
}

TEST_F(FilesApiTest, PastTheLimitIs413AndNothingIsStored) {
  auto ada = first_run();
  int64_t room = first_room(ada);
  auto res = upload(ada, room, "c-big", "big.bin", "application/octet-stream", std::string(kLimit + 1, 'x'));
  EXPECT_EQ(res.result(), HttpStatus::payload_too_large) << res.body();
  EXPECT_EQ(stored_blobs(), 0u);
  EXPECT_TRUE(std::filesystem::is_empty(dir_.path() / "data" / "blobs" / "incoming"));
  auto exact = upload(ada, room, "c-ok", "ok.bin", "application/octet-stream", std::string(kLimit, 'x'));
  EXPECT_EQ(exact.result(), HttpStatus::created) << exact.body();
}

TEST_F(FilesApiTest, SvgAndHtmlAreNeverInline) {
  auto ada = first_run();
  int64_t room = first_room(ada);
  for (auto [name, type, bytes] : {std::tuple{"x.svg", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"},
                                   std::tuple{"x.html", "text/html", "<script>alert(1)</script>"}}) {
    auto res = upload(ada, room, std::string("c-") + name, name, type, bytes);
    ASSERT_EQ(res.result(), HttpStatus::created) << res.body();
    auto m = message_in_page(ada, room, body_of(res).at("id").as_int64());
    auto served = get(ada, std::string(m.at("attachment").at("url").as_string()));
    EXPECT_EQ(served.result(), HttpStatus::ok);
    EXPECT_EQ(served[server::http::bhttp::field::content_disposition].substr(0, 11), "attachment;") << name;
    EXPECT_EQ(served["X-Content-Type-Options"], "nosniff");
    EXPECT_NE(served["Content-Security-Policy"].find("sandbox"), std::string::npos);
    EXPECT_FALSE(m.at("attachment").as_object().contains("thumbnail_url"));
  }
}

TEST_F(FilesApiTest, ANonImageNamedPngIsAPlainDownload) {
  auto ada = first_run();
  int64_t room = first_room(ada);
  auto res = upload(ada, room, "c-fake", "fake.png", "image/png", "this is not a png");
  ASSERT_EQ(res.result(), HttpStatus::created) << res.body();
  auto a = message_in_page(ada, room, body_of(res).at("id").as_int64()).at("attachment").as_object();
  EXPECT_EQ(a.at("content_type").as_string(), "application/octet-stream");
  EXPECT_FALSE(a.contains("thumbnail_url"));
  auto served = get(ada, std::string(a.at("url").as_string()));
  EXPECT_EQ(served[server::http::bhttp::field::content_type], "application/octet-stream");
  EXPECT_EQ(served[server::http::bhttp::field::content_disposition].substr(0, 11), "attachment;");
}

TEST_F(FilesApiTest, OnlyMembersOfTheRoomSeeTheFile) {
  auto ada = first_run();
  auto bo = join(ada, "Bo");
  auto secret = execute(user_id(ada), cmd::CreateClosedRoom{"Secret", {}});
  ASSERT_TRUE(secret.ok());
  auto res = upload(ada, secret->id, "c-s", "plan.txt", "text/plain", "secret plan");
  ASSERT_EQ(res.result(), HttpStatus::created) << res.body();
  std::string url = "/api/messages/" + std::to_string(body_of(res).at("id").as_int64()) + "/attachment";
  EXPECT_EQ(get(ada, url).result(), HttpStatus::ok);
  EXPECT_EQ(get(bo, url).result(), HttpStatus::not_found);
  EXPECT_EQ(call(port_, Verb::get, url).result(), HttpStatus::unauthorized);
  // nor can Bo post a file there
  EXPECT_EQ(upload(bo, secret->id, "c-b", "x.txt", "text/plain", "x").result(), HttpStatus::not_found);
}

TEST_F(FilesApiTest, ARemovedMessageIs404AtOnceAndItsFileGoesUnlessStillUsed) {
  auto ada = first_run();
  int64_t room = first_room(ada);
  auto one = upload(ada, room, "c-1", "a.txt", "text/plain", "shared bytes");
  auto two = upload(ada, room, "c-2", "b.txt", "text/plain", "shared bytes");
  auto own = upload(ada, room, "c-3", "c.txt", "text/plain", "only mine");
  ASSERT_EQ(own.result(), HttpStatus::created);
  int64_t id1 = body_of(one).at("id").as_int64(), id2 = body_of(two).at("id").as_int64(),
          id3 = body_of(own).at("id").as_int64();
  std::string shared = attachment_hash(id1), mine = attachment_hash(id3);
  ASSERT_EQ(shared, attachment_hash(id2));
  ASSERT_TRUE(std::filesystem::exists(blob_path(mine)));
  auto remove = [&](int64_t id) {
    return as(&ada, Verb::delete_, "/api/rooms/" + std::to_string(room) + "/messages/" + std::to_string(id));
  };
  ASSERT_EQ(remove(id3).result(), HttpStatus::ok);
  ASSERT_EQ(remove(id1).result(), HttpStatus::ok);
  EXPECT_EQ(get(ada, "/api/messages/" + std::to_string(id3) + "/attachment").result(), HttpStatus::not_found);
  EXPECT_EQ(get(ada, "/api/messages/" + std::to_string(id1) + "/attachment").result(), HttpStatus::not_found);
  for (int i = 0; i < 100 && std::filesystem::exists(blob_path(mine)); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(std::filesystem::exists(blob_path(mine)));
  EXPECT_TRUE(std::filesystem::exists(blob_path(shared)));  // message two still holds it
  EXPECT_EQ(get(ada, "/api/messages/" + std::to_string(id2) + "/attachment").body(), "shared bytes");
}

TEST_F(FilesApiTest, AnAvatarIsResizedTo512AndFallsBackToInitials) {
  auto ada = first_run("Ada");
  int64_t me = user_id(ada);
  auto url = std::string(bootstrap(ada).at("me").at("avatar_url").as_string());
  EXPECT_EQ(url, "/api/users/" + std::to_string(me) + "/avatar?v=0");
  auto initials = get(ada, url);
  EXPECT_EQ(initials.result(), HttpStatus::ok);
  EXPECT_EQ(initials[server::http::bhttp::field::content_type], "image/svg+xml");
  EXPECT_NE(initials.body().find(">A</text>"), std::string::npos) << initials.body();
  EXPECT_EQ(initials.body(), server::files::initials_svg(me, "Ada"));

  auto headers = form_headers(ada);
  auto res = call(port_, Verb::post, "/api/users/me/avatar", form_file("avatar", "me.png", "image/png", tiny_png()) + form_end(), headers);
  ASSERT_EQ(res.result(), HttpStatus::ok) << res.body();
  auto changed = std::string(bootstrap(ada).at("me").at("avatar_url").as_string());
  EXPECT_NE(changed, url);
  auto png = get(ada, changed);
  ASSERT_EQ(png.result(), HttpStatus::ok);
  EXPECT_EQ(png[server::http::bhttp::field::content_type], "image/png");
  TempDir tmp;
  { std::ofstream(tmp.path() / "a.png", std::ios::binary) << png.body(); }
  auto size = server::files::probe_image(tmp.path() / "a.png", server::files::ImageKind::kPng);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(size->width, 512u);
  EXPECT_EQ(size->height, 512u);

  // not an image: refused, the avatar stays
  auto bad = call(port_, Verb::post, "/api/users/me/avatar", form_file("avatar", "x.png", "image/png", "nope") + form_end(), headers);
  EXPECT_EQ(bad.result(), HttpStatus::unprocessable_entity) << bad.body();
  EXPECT_EQ(std::string(bootstrap(ada).at("me").at("avatar_url").as_string()), changed);
  ASSERT_EQ(as(&ada, Verb::delete_, "/api/users/me/avatar").result(), HttpStatus::ok);
  EXPECT_EQ(std::string(bootstrap(ada).at("me").at("avatar_url").as_string()), url);
}

TEST_F(FilesApiTest, InitialsColourIsCrc32OfTheIdModulo18) {
  // zlib.crc32(b"1") = 2212294583, % 18 = 11; zlib.crc32(b"2") = 450215437, % 18 = 13
  EXPECT_EQ(server::files::avatar_colour_index(1), 11);
  EXPECT_EQ(server::files::avatar_colour_index(2), 13);
  EXPECT_EQ(server::files::initials_of("ada  lovelace byron"), "AL");
  EXPECT_EQ(server::files::initials_of("  "), "?");
  EXPECT_EQ(server::files::initials_of("Émile <b>"), "É<");
  EXPECT_NE(server::files::initials_svg(1, "<b> x").find("&lt;X"), std::string::npos);
}

TEST_F(FilesApiTest, TheLogoIsForAdministratorsAndPublicWithTwoSizes) {
  auto ada = first_run();
  auto bo = join(ada, "Bo");
  auto stock = call(port_, Verb::get, "/account/logo");
  EXPECT_EQ(stock.result(), HttpStatus::ok);
  EXPECT_EQ(stock[server::http::bhttp::field::content_type], "image/svg+xml");
  EXPECT_EQ(stock[server::http::bhttp::field::cache_control], "public, max-age=300, stale-while-revalidate=604800");
  std::string form = form_file("logo", "logo.png", "image/png", tiny_png()) + form_end();
  EXPECT_EQ(call(port_, Verb::post, "/api/account/logo", form, form_headers(bo)).result(), HttpStatus::forbidden);
  auto res = call(port_, Verb::post, "/api/account/logo", form, form_headers(ada));
  ASSERT_EQ(res.result(), HttpStatus::ok) << res.body();
  TempDir tmp;
  for (auto [query, side] : {std::pair{"", 512u}, std::pair{"?size=small", 192u}}) {
    auto logo = call(port_, Verb::get, std::string("/account/logo") + query);  // anonymous
    ASSERT_EQ(logo.result(), HttpStatus::ok);
    EXPECT_EQ(logo[server::http::bhttp::field::content_type], "image/png");
    { std::ofstream(tmp.path() / "l.png", std::ios::binary | std::ios::trunc) << logo.body(); }
    auto size = server::files::probe_image(tmp.path() / "l.png", server::files::ImageKind::kPng);
    ASSERT_TRUE(size.ok());
    EXPECT_EQ(size->width, side);
  }
  EXPECT_EQ(as(&bo, Verb::delete_, "/api/account/logo").result(), HttpStatus::forbidden);
  EXPECT_EQ(as(&ada, Verb::delete_, "/api/account/logo").result(), HttpStatus::ok);
  EXPECT_EQ(call(port_, Verb::get, "/account/logo")[server::http::bhttp::field::content_type], "image/svg+xml");
}

TEST_F(FilesApiTest, AMalformedFormIs400AndAJsonBodyIs415) {
  auto ada = first_run();
  int64_t room = first_room(ada);
  auto broken = call(port_, Verb::post, "/api/rooms/" + std::to_string(room) + "/attachments",
                     form_field("client_message_id", "c") + "--" + std::string(kBoundary) + "\r\nNo-Disposition: x\r\n\r\nx\r\n" + form_end(),
                     form_headers(ada));
  EXPECT_EQ(broken.result(), HttpStatus::bad_request) << broken.body();
  auto json_body = as(&ada, Verb::post, "/api/rooms/" + std::to_string(room) + "/attachments", "{}");
  EXPECT_EQ(json_body.result(), HttpStatus::unsupported_media_type);
}

}  // namespace
}  // namespace hearth::testing
