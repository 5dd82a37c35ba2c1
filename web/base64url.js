// base64url without padding of a text's UTF-8 bytes: the path of the QR-code route
// (/qr_code/<base64url(url)>, CAMPFIRE.md 2.2), which decodes it strictly (core/base/base64url.h).
export function base64url(text) {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export const qrCodePath = (text) => `/qr_code/${base64url(text)}`;
