#pragma once
// The parts of the HTTP API (docs/api.md), one file each. Api::add_routes calls every one.
#include <string>
#include <string_view>

#include "core/base/ids.h"

namespace hearth::server::http {
class Router;
}

namespace hearth::server::api {

class ApiContext;

void add_session_routes(http::Router& router, ApiContext& api);    // first run, sign-in/out, join
void add_bootstrap_routes(http::Router& router, ApiContext& api);  // bootstrap
void add_message_routes(http::Router& router, ApiContext& api);    // pages, post, edit, delete
void add_room_routes(http::Router& router, ApiContext& api);       // rooms, pings, involvement, settings
void add_search_routes(http::Router& router, ApiContext& api);     // search, recent searches
void add_boost_routes(http::Router& router, ApiContext& api);      // add, remove a boost
void add_push_routes(http::Router& router, ApiContext& api, std::string vapid_public_key);  // Web Push subscriptions
void add_preview_routes(http::Router& router, ApiContext& api);    // link previews (unfurl_link)
void add_preview_image_routes(http::Router& router, ApiContext& api);  // a preview's image, re-encoded
void add_account_routes(http::Router& router, ApiContext& api);    // account, join link, QR, CSS, manifest
void add_bot_routes(http::Router& router, ApiContext& api);        // the bot API (Campfire 2.15)
void add_bot_admin_routes(http::Router& router, ApiContext& api);  // bots: list, create, edit, key, deactivate
void add_files_routes(http::Router& router, ApiContext& api);      // attachments (and add_picture_routes)
void add_picture_routes(http::Router& router, ApiContext& api);    // avatars, the account logo
void add_people_routes(http::Router& router, ApiContext& api);     // profile, people, transfer links, bans

// Signing out removes the browser's push subscription for `endpoint` (CAMPFIRE.md 2.3).
void remove_push_endpoint(ApiContext& api, UserId user, std::string_view endpoint);

}  // namespace hearth::server::api
