// Who may do what, as one table: every browser-API command and read × every kind of caller, with
// the exact status Campfire's rules give (CAMPFIRE.md 2.5–2.8, 2.11, 2.19). Each cell runs against
// a fresh scene (a closed room, a message in it and a ping), so a cell that deletes or revises
// cannot change the next one's answer.
//
// The callers (columns):
//  - anonymous: no cookie;
//  - member: a person in the scene's room and ping who neither created it nor administers;
//  - non-member: a person in neither (a member of the open rooms only);
//  - creator: the person who created the closed room and started the ping;
//  - administrator: a member of the closed room, not of the ping (administrator powers reach only
//    the rooms one is in: Campfire finds rooms among the user's own, so the rest are 404);
//  - deactivated: a person whose session was live when they were deactivated;
//  - bot: bots cannot use the browser API at all. It authenticates by the session cookie only, a
//    bot has no password to sign in with (so never a session), and its bot key sent as a cookie is
//    not a session: every cell is 401. Bots speak only the bot API (CAMPFIRE.md 2.15), whose routes
//    take the key in the path ({key}): the bot's own key in its column; for everyone else a key
//    that names them (their id with the bot's token; the empty token "<bot>-" when anonymous).
//    The bot API answers any such key with a 302 to sign-in, whatever cookie comes with it.
//
// Adding a row: one line in kRows. Targets and bodies may name the scene with {room} (the closed
// room), {open} (All Talk), {ping}, {message} (the member's message in {room}), {boost} (the
// member's boost of it), {push} (the member's push subscription), {attachment} (the member's
// message with a file in {room}) and the people
// {member}, {nonmember}, {creator}, {administrator}; {cell} is a number new in every cell (for
// idempotency keys, which would otherwise replay an earlier cell's answer). For the bot routes, in
// {open}: {openmessage} (the member's), {botmessage} (the bot's) and {botboost} (the bot's boost
// of {openmessage}); {scenebot} is a bot made for the cell, for the administration rows that
// re-key or deactivate one.
// idempotency keys, which would otherwise replay an earlier cell's answer). A multipart body
// (uploads) is written with the boundary "B" and {png} for a small PNG's bytes. {victim} is a person
// who joins for that cell alone (so a row may promote, deactivate or ban them), and {transfer} a
// session-transfer token for the victim.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <map>
#include <memory>
#include <string_view>

#include "api_world.h"
#include "core/blobs/blob_store.h"
#include "files_fixture.h"
#include "server/auth/key_file.h"
#include "server/auth/signed_id.h"

namespace hearth::testing {
namespace {

enum Caller { kAnonymous, kMember, kNonMember, kCreator, kAdministrator, kDeactivated, kBot, kCallers };
constexpr const char* kCallerNames[kCallers] = {"anonymous",     "member",      "non-member", "creator",
                                                "administrator", "deactivated", "bot"};

// What must hold before the request beyond the fresh scene.
enum class Given { kNothing, kCreationRestricted, kVictimBanned };

struct Row {
  const char* what;
  server::http::Verb verb;
  const char* target;
  const char* body;
  std::array<unsigned, kCallers> expect;  // in Caller order
  Given given = Given::kNothing;
  bool multipart = false;  // the body is multipart/form-data with boundary "B"
};

using V = server::http::Verb;
// clang-format off
const Row kRows[] = {
  //  what                            verb        target                                  body                                                     anon member non  creat admin deact bot
  {"read bootstrap",                  V::get,     "/api/bootstrap",                       "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"read a room",                     V::get,     "/api/rooms/{room}",                    "",                                                      {401, 200, 404, 200, 200, 401, 401}},
  {"create an open room",             V::post,    "/api/rooms",                           R"({"kind":"open","name":"New"})",                        {401, 201, 201, 201, 201, 401, 401}},
  {"create a closed room",            V::post,    "/api/rooms",                           R"({"kind":"closed","name":"New","user_ids":[{member}]})",{401, 201, 201, 201, 201, 401, 401}},
  {"create an open room, restricted", V::post,    "/api/rooms",                           R"({"kind":"open","name":"New"})",                        {401, 403, 403, 403, 201, 401, 401}, Given::kCreationRestricted},
  {"create a closed room, restricted",V::post,    "/api/rooms",                           R"({"kind":"closed","name":"New"})",                      {401, 403, 403, 403, 201, 401, 401}, Given::kCreationRestricted},
  {"rename a room",                   V::patch,   "/api/rooms/{room}",                    R"({"name":"Renamed"})",                                 {401, 403, 404, 200, 200, 401, 401}},
  {"convert a room to open",          V::patch,   "/api/rooms/{room}",                    R"({"kind":"open"})",                                    {401, 403, 404, 200, 200, 401, 401}},
  {"revise a room's members",         V::patch,   "/api/rooms/{room}",                    R"({"user_ids":[{creator},{nonmember}]})",               {401, 403, 404, 200, 200, 401, 401}},
  {"delete a room",                   V::delete_, "/api/rooms/{room}",                    "",                                                      {401, 403, 404, 200, 200, 401, 401}},
  {"change involvement in a room",    V::put,     "/api/rooms/{room}/involvement",        R"({"involvement":"invisible"})",                        {401, 200, 404, 200, 200, 401, 401}},
  {"find or start a ping",            V::post,    "/api/pings",                           R"({"user_ids":[{member}]})",                            {401, 200, 200, 200, 200, 401, 401}},
  {"read a ping",                     V::get,     "/api/rooms/{ping}",                    "",                                                      {401, 200, 404, 200, 404, 401, 401}},
  {"rename a ping",                   V::patch,   "/api/rooms/{ping}",                    R"({"name":"Us"})",                                      {401, 422, 404, 422, 404, 401, 401}},
  {"convert a ping",                  V::patch,   "/api/rooms/{ping}",                    R"({"kind":"open"})",                                    {401, 422, 404, 422, 404, 401, 401}},
  {"delete a ping",                   V::delete_, "/api/rooms/{ping}",                    "",                                                      {401, 200, 404, 200, 404, 401, 401}},
  {"silence a ping",                  V::put,     "/api/rooms/{ping}/involvement",        R"({"involvement":"nothing"})",                          {401, 200, 404, 200, 404, 401, 401}},
  {"hide a ping",                     V::put,     "/api/rooms/{ping}/involvement",        R"({"involvement":"invisible"})",                        {401, 422, 404, 422, 404, 401, 401}},
  {"restrict room creation",          V::patch,   "/api/account/settings",                R"({"restrict_room_creation_to_administrators":true})",  {401, 403, 403, 403, 200, 401, 401}},
  {"read messages",                   V::get,     "/api/rooms/{room}/messages",           "",                                                      {401, 200, 404, 200, 200, 401, 401}},
  {"read messages of the open room",  V::get,     "/api/rooms/{open}/messages",           "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"post a message",                  V::post,    "/api/rooms/{room}/messages",           R"({"client_message_id":"m{cell}","body_html":"hi","plain_text":"hi"})", {401, 201, 404, 201, 201, 401, 401}},
  {"post a message to a ping",        V::post,    "/api/rooms/{ping}/messages",           R"({"client_message_id":"m{cell}","body_html":"hi","plain_text":"hi"})", {401, 201, 404, 201, 404, 401, 401}},
  {"edit the member's message",       V::patch,   "/api/rooms/{room}/messages/{message}", R"({"body_html":"ed","plain_text":"ed"})",                {401, 200, 404, 403, 200, 401, 401}},
  {"delete the member's message",     V::delete_, "/api/rooms/{room}/messages/{message}", "",                                                      {401, 200, 404, 403, 200, 401, 401}},
  {"read around a message",           V::get,     "/api/rooms/{room}/messages?around={message}", "",                                               {401, 200, 404, 200, 200, 401, 401}},
  {"boost the member's message",      V::post,    "/api/rooms/{room}/messages/{message}/boosts", R"({"content":"👍"})",                             {401, 201, 404, 201, 201, 401, 401}},
  {"remove the member's boost",       V::delete_, "/api/rooms/{room}/messages/{message}/boosts/{boost}", "",                                       {401, 200, 404, 404, 404, 401, 401}},
  {"search the member's rooms",       V::get,     "/api/search?q=hello",                  "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"record a recent search",          V::post,    "/api/searches",                        R"({"query":"hello"})",                                  {401, 201, 201, 201, 201, 401, 401}},
  {"read recent searches",            V::get,     "/api/searches",                        "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"clear recent searches",           V::delete_, "/api/searches",                        "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"read own push subscriptions",     V::get,     "/api/push_subscriptions",              "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"read the VAPID public key",       V::get,     "/api/vapid_public_key",                "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"subscribe to web push",           V::post,    "/api/push_subscriptions",              R"({"push_subscription":{"endpoint":"https://push.example/{cell}","p256dh_key":"BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4","auth_key":"BTBZMqHH6r4Tts7J_aSIgg"}})", {401, 201, 201, 201, 201, 401, 401}},
  {"remove the member's push subscription", V::delete_, "/api/push_subscriptions/{push}", "",                                                      {401, 200, 404, 404, 404, 401, 401}},
  {"unfurl a link (nothing to show)", V::post,    "/api/unfurl_link",                     R"({"url":"http://127.0.0.1/"})",                        {401, 204, 204, 204, 204, 401, 401}},
  {"a link preview's image (refused)", V::get,    "/api/link_preview_image?url=http%3A%2F%2F127.0.0.1%2Fa.png", "",                                   {401, 404, 404, 404, 404, 401, 401}},
  {"read the account",                V::get,     "/api/account",                         "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"rename the account",              V::patch,   "/api/account",                         R"({"name":"Renamed"})",                                 {401, 403, 403, 403, 200, 401, 401}},
  {"regenerate the join link",        V::post,    "/api/account/join_code",               "",                                                      {401, 403, 403, 403, 200, 401, 401}},
  {"change the custom CSS",           V::put,     "/api/account/custom_styles",           R"({"css":"body{}"})",                                   {401, 403, 403, 403, 200, 401, 401}},
  {"read the sign-in help contact",   V::get,     "/api/account/public",                  "",                                                      {200, 200, 200, 200, 200, 200, 200}},
  {"read the custom CSS",             V::get,     "/account/custom_styles.css",           "",                                                      {200, 200, 200, 200, 200, 200, 200}},
  {"read the web manifest",           V::get,     "/webmanifest",                         "",                                                      {200, 200, 200, 200, 200, 200, 200}},
  {"post a file",                     V::post,    "/api/rooms/{room}/attachments",        "--B\r\nContent-Disposition: form-data; name=\"client_message_id\"\r\n\r\nf{cell}\r\n--B\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--B--\r\n", {401, 201, 404, 201, 201, 401, 401}, Given::kNothing, true},
  {"read a message's file",           V::get,     "/api/messages/{attachment}/attachment", "",                                                     {401, 200, 404, 200, 200, 401, 401}},
  {"read a message's thumbnail",      V::get,     "/api/messages/{attachment}/attachment/thumbnail", "",                                           {401, 404, 404, 404, 404, 401, 401}},
  {"upload own avatar",               V::post,    "/api/users/me/avatar",                 "--B\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n{png}\r\n--B--\r\n", {401, 200, 200, 200, 200, 401, 401}, Given::kNothing, true},
  {"remove own avatar",               V::delete_, "/api/users/me/avatar",                 "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"read someone's avatar",           V::get,     "/api/users/{member}/avatar",           "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"upload the account logo",         V::post,    "/api/account/logo",                    "--B\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"l.png\"\r\nContent-Type: image/png\r\n\r\n{png}\r\n--B--\r\n", {401, 403, 403, 403, 200, 401, 401}, Given::kNothing, true},
  {"remove the account logo",         V::delete_, "/api/account/logo",                    "",                                                      {401, 403, 403, 403, 200, 401, 401}},
  {"read the account logo",           V::get,     "/account/logo",                        "",                                                      {200, 200, 200, 200, 200, 200, 200}},
  {"draw a QR code",                  V::get,     "/qr_code/aHR0cDovL2V4YW1wbGUuY29tLw",  "",                                                      {200, 200, 200, 200, 200, 200, 200}},
  // The bot API (CAMPFIRE.md 2.15): the key in the path decides; only the bot gets in.
  {"bot API: read messages",          V::get,     "/rooms/{open}/{key}/messages",          "",                                                      {302, 302, 302, 302, 302, 302, 200}},
  {"bot API: post a message",         V::post,    "/rooms/{open}/{key}/messages",          "hello",                                                 {302, 302, 302, 302, 302, 302, 201}},
  {"bot API: post a file",            V::post,    "/rooms/{open}/{key}/messages",          "--B\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--B--\r\n", {302, 302, 302, 302, 302, 302, 201}, Given::kNothing, true},
  {"bot API: post to a closed room",  V::post,    "/rooms/{room}/{key}/messages",          "hello",                                                 {302, 302, 302, 302, 302, 302, 404}},
  {"bot API: edit its message",       V::patch,   "/rooms/{open}/{key}/messages/{botmessage}", "edited",                                           {302, 302, 302, 302, 302, 302, 200}},
  {"bot API: edit the member's",      V::put,     "/rooms/{open}/{key}/messages/{openmessage}", "edited",                                          {302, 302, 302, 302, 302, 302, 403}},
  {"bot API: delete its message",     V::delete_, "/rooms/{open}/{key}/messages/{botmessage}", "",                                                 {302, 302, 302, 302, 302, 302, 204}},
  {"bot API: delete the member's",    V::delete_, "/rooms/{open}/{key}/messages/{openmessage}", "",                                                {302, 302, 302, 302, 302, 302, 403}},
  {"bot API: boost a message",        V::post,    "/rooms/{open}/{key}/messages/{openmessage}/boosts", "👍",                                       {302, 302, 302, 302, 302, 302, 201}},
  {"bot API: remove its boost",       V::delete_, "/rooms/{open}/{key}/messages/{openmessage}/boosts/{botboost}", "",                               {302, 302, 302, 302, 302, 302, 204}},
  // Bot administration: administrators only.
  {"list bots",                       V::get,     "/api/account/bots",                     "",                                                      {401, 403, 403, 403, 200, 401, 401}},
  {"create a bot",                    V::post,    "/api/account/bots",                     R"({"name":"Bot {cell}"})",                              {401, 403, 403, 403, 201, 401, 401}},
  {"edit a bot",                      V::patch,   "/api/account/bots/{scenebot}",          R"({"name":"Renamed","webhook_url":""})",                {401, 403, 403, 403, 200, 401, 401}},
  {"show a bot's key",                V::get,     "/api/account/bots/{scenebot}/key",      "",                                                      {401, 403, 403, 403, 200, 401, 401}},
  {"reset a bot's key",               V::put,     "/api/account/bots/{scenebot}/key",      "",                                                      {401, 403, 403, 403, 200, 401, 401}},
  {"deactivate a bot",                V::delete_, "/api/account/bots/{scenebot}",          "",                                                      {401, 403, 403, 403, 200, 401, 401}},
  {"deactivate a person as a bot",    V::delete_, "/api/account/bots/{member}",            "",                                                      {401, 403, 403, 403, 404, 401, 401}},
  {"edit one's own profile",          V::patch,   "/api/profile",                         R"({"bio":"cell {cell}"})",                              {401, 200, 200, 200, 200, 401, 401}},
  {"read a public profile",           V::get,     "/api/users/{member}",                  "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"get the member's transfer link",  V::get,     "/api/users/{member}/transfer",         "",                                                      {401, 200, 403, 403, 200, 401, 401}},
  {"use a transfer link",             V::put,     "/api/session/transfers/{transfer}",    "",                                                      {200, 200, 200, 200, 200, 200, 200}},
  {"use a forged transfer link",      V::put,     "/api/session/transfers/x.{transfer}",  "",                                                      {400, 400, 400, 400, 400, 400, 400}},
  {"sign out everywhere else",        V::delete_, "/api/session/others",                  "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"list the people",                 V::get,     "/api/account/users",                   "",                                                      {401, 200, 200, 200, 200, 401, 401}},
  {"promote a person",                V::patch,   "/api/account/users/{victim}",          R"({"role":"administrator"})",                           {401, 403, 403, 403, 200, 401, 401}},
  {"deactivate a person",             V::delete_, "/api/account/users/{victim}",          "",                                                      {401, 403, 403, 403, 200, 401, 401}},
  {"ban a person",                    V::post,    "/api/users/{victim}/ban",              "",                                                      {401, 403, 403, 403, 200, 401, 401}},
  {"unban a person",                  V::delete_, "/api/users/{victim}/ban",              "",                                                      {401, 403, 403, 403, 200, 401, 401}, Given::kVictimBanned},
};
// clang-format on

class AuthorizationMatrixTest : public ApiWorld {
 protected:
  void SetUp() override {
    ApiWorld::SetUp();
    sessions_[kAdministrator] = first_run("Admin");
    sessions_[kMember] = join(sessions_[kAdministrator], "Member");
    sessions_[kNonMember] = join(sessions_[kAdministrator], "Outsider");
    sessions_[kCreator] = join(sessions_[kAdministrator], "Creator");
    sessions_[kDeactivated] = join(sessions_[kAdministrator], "Gone");
    for (Caller c : {kAdministrator, kMember, kNonMember, kCreator, kDeactivated}) ids_[c] = user_id(sessions_[c]);
    open_ = bootstrap(sessions_[kAdministrator]).at("rooms").at(0).at("id").as_int64();
    SystemRandom random;
    auto key = auth::load_or_create_key(dir_.file("data") + "/transfer.key", auth::kSignedIdKeyBytes, random);
    ASSERT_TRUE(key.ok());
    transfer_key_ = std::make_unique<auth::SignedIdKey>(
        std::span<const uint8_t, auth::kSignedIdKeyBytes>(key->data(), auth::kSignedIdKeyBytes));
    ASSERT_TRUE(execute(ids_[kAdministrator], cmd::DeactivateUser{UserId(ids_[kDeactivated])}).ok());
    std::string bot_key = create_bot(ids_[kAdministrator], "Robo");
    ASSERT_FALSE(bot_key.empty());
    bot_key_ = bot_key;
    ids_[kBot] = std::stoll(bot_key.substr(0, bot_key.find('-')));
    // The bot's key where a session token would go, with a token-shaped CSRF header.
    sessions_[kBot] = Session{"session_token=" + bot_key, sessions_[kMember].csrf};
  }

  struct Scene {
    int64_t open_message = 0, bot_message = 0, bot_boost = 0, bot = 0;
    int64_t room = 0, ping = 0, message = 0, boost = 0, push = 0, attachment = 0, victim = 0;
    std::string transfer;
  };
  Scene fresh_scene(const Row& row) {
    Scene s;
    bool restricted = row.given == Given::kCreationRestricted;
    EXPECT_TRUE(execute(ids_[kAdministrator], cmd::ChangeAccountSettings{false}).ok());
    auto room = execute(ids_[kCreator], cmd::CreateClosedRoom{"Scene", {UserId(ids_[kMember]),
                                                                        UserId(ids_[kAdministrator])}});
    EXPECT_TRUE(room.ok());
    s.room = room.ok() ? room->id : 0;
    auto ping = execute(ids_[kCreator], cmd::FindOrCreateDirectRoom{{UserId(ids_[kMember])}});
    EXPECT_TRUE(ping.ok());
    s.ping = ping.ok() ? ping->id : 0;
    auto message = chat_.data->sequencer().execute(CommandEnvelope{
        UserId(ids_[kMember]), "scene-" + std::to_string(++scenes_),
        cmd::PostMessage{RoomId(s.room), "hello", "hello", {}, std::nullopt, {}}});
    EXPECT_TRUE(message.ok());
    s.message = message.ok() ? message->id : 0;
    auto boost = execute(ids_[kMember], cmd::AddBoost{MessageId(s.message), "🔥"});
    EXPECT_TRUE(boost.ok());
    s.boost = boost.ok() ? boost->id : 0;
    auto push = execute(ids_[kMember], cmd::AddPushSubscription{"https://push.example/scene-" + std::to_string(scenes_),
                                                                "p256dh", "auth", "ua"});
    EXPECT_TRUE(push.ok());
    s.push = push.ok() ? push->id : 0;
    auto post_open = [&](Caller who) {
      auto m = chat_.data->sequencer().execute(CommandEnvelope{
          UserId(ids_[who]), "open-" + std::to_string(who) + "-" + std::to_string(scenes_),
          cmd::PostMessage{RoomId(open_), "hi", "hi", {}, std::nullopt, {}}});
      EXPECT_TRUE(m.ok());
      return m.ok() ? m->id : 0;
    };
    s.open_message = post_open(kMember);
    s.bot_message = post_open(kBot);
    auto bot_boost = execute(ids_[kBot], cmd::AddBoost{MessageId(s.open_message), "🔥"});
    EXPECT_TRUE(bot_boost.ok());
    s.bot_boost = bot_boost.ok() ? bot_boost->id : 0;
    std::string scene_bot = create_bot(ids_[kAdministrator], "Scene bot");
    s.bot = scene_bot.empty() ? 0 : std::stoll(scene_bot.substr(0, scene_bot.find('-')));
    blobs::BlobStore store(blobs::BlobStore::dir_in(dir_.path() / "data"));
    auto stored = store.put("a file of the scene", 100);
    EXPECT_TRUE(stored.ok());
    auto with_file = chat_.data->sequencer().execute(CommandEnvelope{
        UserId(ids_[kMember]), "scene-file-" + std::to_string(scenes_),
        cmd::PostMessage{RoomId(s.room), "", "", {}, Blob{stored->content_hash, stored->byte_size, "text/plain", "s.txt", 0, 0}, {}}});
    EXPECT_TRUE(with_file.ok());
    s.attachment = with_file.ok() ? with_file->id : 0;
    if (restricted) {
      EXPECT_TRUE(execute(ids_[kAdministrator], cmd::ChangeAccountSettings{true}).ok());
    }
    if (std::string_view(row.target).find("{victim}") != std::string_view::npos ||
        std::string_view(row.target).find("{transfer}") != std::string_view::npos) {
      std::string name = "Victim" + std::to_string(scenes_);
      // Read now: a row before may have regenerated the join link.
      std::string code(bootstrap(sessions_[kAdministrator]).at("account").at("join_code").as_string());
      auto victim = execute(kSystemActor.value, cmd::JoinAccount{code, name, name + "@example.com", "digest", "", ""});
      EXPECT_TRUE(victim.ok());
      s.victim = victim.ok() ? victim->id : 0;
      s.transfer = auth::transfer_token(*transfer_key_, UserId(s.victim), std::time(nullptr));
      if (row.given == Given::kVictimBanned) {
        EXPECT_TRUE(execute(ids_[kAdministrator], cmd::BanUser{UserId(s.victim)}).ok());
      }
    }
    return s;
  }

  // The bot key a caller puts in a bot API path (see the header).
  std::string key_for(int caller) const {
    std::string token = bot_key_.substr(bot_key_.find('-') + 1);
    if (caller == kBot) return bot_key_;
    if (caller == kAnonymous) return std::to_string(ids_[kBot]) + "-";
    return std::to_string(ids_[caller]) + "-" + token;
  }

  std::string fill(std::string text, const Scene& s, int caller = kBot) {
    for (auto at = text.find("{key}"); at != std::string::npos; at = text.find("{key}")) {
      text.replace(at, 5, key_for(caller));
    }
    const std::map<std::string, int64_t> names{
        {"{openmessage}", s.open_message}, {"{botmessage}", s.bot_message}, {"{botboost}", s.bot_boost},
        {"{scenebot}", s.bot},
        {"{room}", s.room},          {"{ping}", s.ping},           {"{message}", s.message}, {"{boost}", s.boost}, {"{push}", s.push}, {"{attachment}", s.attachment},
        {"{open}", open_},           {"{member}", ids_[kMember]},  {"{nonmember}", ids_[kNonMember]},
        {"{creator}", ids_[kCreator]}, {"{administrator}", ids_[kAdministrator]}, {"{cell}", scenes_},
        {"{victim}", s.victim}};
    for (auto& [name, value] : names) {
      for (auto at = text.find(name); at != std::string::npos; at = text.find(name)) {
        text.replace(at, name.size(), std::to_string(value));
      }
    }
    if (auto at = text.find("{png}"); at != std::string::npos) text.replace(at, 5, tiny_png());
    for (auto at = text.find("{transfer}"); at != std::string::npos; at = text.find("{transfer}")) {
      text.replace(at, 10, s.transfer);
    }
    return text;
  }

  std::array<Session, kCallers> sessions_;
  std::array<int64_t, kCallers> ids_{};
  std::string bot_key_;
  int64_t open_ = 0;
  int scenes_ = 0;
  std::unique_ptr<auth::SignedIdKey> transfer_key_;
};

TEST_F(AuthorizationMatrixTest, EveryCallerGetsExactlyTheStatusCampfireGives) {
  int cells = 0;
  for (const Row& row : kRows) {
    for (int c = 0; c < kCallers; ++c) {
      Scene scene = fresh_scene(row);
      const Session* who = c == kAnonymous ? nullptr : &sessions_[c];
      Headers headers = who ? who->headers() : Headers{{"Origin", kOrigin}};
      if (row.multipart) headers.emplace_back("Content-Type", "multipart/form-data; boundary=B");
      auto res = call(port_, row.verb, fill(row.target, scene, c), fill(row.body, scene, c), headers);
      EXPECT_EQ(res.result_int(), row.expect[c])
          << row.what << " as " << kCallerNames[c] << " → " << res.result_int() << " " << res.body();
      ++cells;
    }
  }
  EXPECT_EQ(cells, static_cast<int>(std::size(kRows)) * kCallers);
}

// No cell may succeed where the table says it is refused, and the refusals leave no trace: after a
// refused delete the room is still there for its members.
TEST_F(AuthorizationMatrixTest, RefusedWritesChangeNothing) {
  auto found = std::find_if(std::begin(kRows), std::end(kRows),
                            [](const Row& r) { return std::string_view(r.what) == "delete a room"; });
  ASSERT_NE(found, std::end(kRows));
  const Row& del = *found;
  for (Caller c : {kMember, kNonMember, kDeactivated, kBot}) {
    Scene scene = fresh_scene(del);
    EXPECT_NE(as(&sessions_[c], V::delete_, fill(del.target, scene)).result_int(), 200u);
    EXPECT_EQ(as(&sessions_[kCreator], V::get, fill("/api/rooms/{room}", scene)).result_int(), 200u)
        << kCallerNames[c];
  }
}

}  // namespace
}  // namespace hearth::testing
