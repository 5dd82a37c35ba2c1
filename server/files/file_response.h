#pragma once
// HTTP responses carrying a stored file. Every one says X-Content-Type-Options: nosniff and
// Content-Security-Policy: sandbox (a file opened in its own tab runs nothing and reaches
// nothing, whatever it is); only the four decoded image types are ever inline, every other file
// (SVG and HTML included) is Content-Disposition: attachment, so the browser downloads it.
#include <filesystem>
#include <string>
#include <string_view>

#include "server/http/types.h"

namespace hearth::server::files {

enum class Disposition { kInline, kAttachment };

// The file at `path`, or 404 when it is missing. Opened here and streamed from that descriptor
// as the connection takes it (server/http/response_body.h): never read whole into memory, and
// still whole when the blob reaper deletes the path mid-download. Honours a single `Range` of
// `request` (byte_range.h): 206 with Content-Range, 416 with `Content-Range: bytes */size`.
http::Response file_response(const std::filesystem::path& path, std::string_view content_type, Disposition disposition,
                             std::string_view filename, std::string_view cache_control, const http::Request& request);
// Bytes made here (placeholder pictures).
http::Response bytes_response(std::string body, std::string_view content_type, std::string_view cache_control,
                              unsigned version);

// `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266).
std::string attachment_disposition(std::string_view filename);

}  // namespace hearth::server::files
