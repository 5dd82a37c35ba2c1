#pragma once
// "May user U see event E?" — one pure function, shared by the server's hub and `hearth replay
// explain`, so what a client receives and what the tool says it should receive cannot differ.
//
// The rule (DESIGN "Visibility"):
//  - account-wide events (the account, users and bots joining or changing, open rooms created,
//    renamed or converted) go to every active user; secrets never travel (hashes stay server-side;
//    the server redacts per viewer);
//  - room events go to the members of the room as of that event, judged on the state BEFORE the
//    event is applied — plus, for MembershipGranted/Revoked, the user concerned (so a revoked user
//    learns of the revocation and a new member learns of the room);
//  - a user's own events (sessions, searches, push subscriptions, password, read marks,
//    involvement) go to that user only;
//  - nothing goes to deactivated or banned users (their sockets are closed).
#include <string_view>

#include "core/log/event_log.h"
#include "core/write_model/write_model.h"
#include "projections/viewer_state.h"

namespace hearth {

struct Visibility {
  bool visible = false;
  std::string_view reason;  // one line for `replay explain`, e.g. "member of room 7"
};

// `before`: the write model folded up to e.seq - 1. REQUIRES: e passed view_event().
Visibility visible_to(const StoredEvent& e, UserId viewer, const WriteModel& before);

// The same rule (one implementation, visibility.cc) over one viewer's facts, for a connection
// that has no WriteModel. REQUIRES: before.viewer == viewer, before.at == e.seq - 1 (both checked
// in debug builds); e passed view_event().
Visibility visible_to(const StoredEvent& e, UserId viewer, const ViewerState& before);

}  // namespace hearth
