// Permalinks: /rooms/:room/@:message opens the room centred on that message (Campfire 2.4). The
// server answers index.html for every /rooms/… path, so these are ordinary links.

export const permalinkPath = (roomId, messageId) => `/rooms/${roomId}/@${messageId}`;

export const permalinkUrl = (roomId, messageId) => `${location.origin}${permalinkPath(roomId, messageId)}`;

// {roomId, messageId} for a permalink path, else null.
export function parsePermalink(path) {
  const m = /^\/rooms\/(\d+)\/@(\d+)\/?$/.exec(path);
  return m ? { roomId: Number(m[1]), messageId: Number(m[2]) } : null;
}
