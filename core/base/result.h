#pragma once
// Errors are values the caller cannot ignore. `Error` carries a typed code — what a client is told
// (not found, forbidden, conflict, invalid) or what an operator is told (corruption, io,
// unavailable) — and a human message.
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace hearth {

enum class ErrorCode {
  kNotFound,     // the thing named does not exist (or the actor may not know it exists)
  kForbidden,    // it exists, the actor may not do this to it
  kConflict,     // the state forbids it (already set up, email taken, ...)
  kInvalid,      // the command itself is malformed (blank body, bad enum, too long)
  kUnavailable,  // the sequencer has stopped accepting writes (see its `health()`)
  kCorruption,   // the log or a payload fails its checks
  kIo,           // the file system or SQLite failed
};

std::string_view error_code_name(ErrorCode code);

// Where an Error was made (STYLE 8: corruption is reported at the place it is found). Not
// std::source_location: Debian 12's clang 14 with libstdc++ 12 lacks it, and the fuzz build is
// clang; the builtins below exist in both compilers.
struct SourcePlace {
  const char* file = "";
  int line = 0;
  static constexpr SourcePlace here(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    return SourcePlace{file, line};
  }
};

struct [[nodiscard]] Error {
  ErrorCode code;
  std::string message;
  SourcePlace where = SourcePlace::here();

  std::string to_string() const;
  bool operator==(const Error& other) const { return code == other.code && message == other.message; }
};

inline Error not_found(std::string m) { return {ErrorCode::kNotFound, std::move(m)}; }
inline Error forbidden(std::string m) { return {ErrorCode::kForbidden, std::move(m)}; }
inline Error conflict(std::string m) { return {ErrorCode::kConflict, std::move(m)}; }
inline Error invalid(std::string m) { return {ErrorCode::kInvalid, std::move(m)}; }

// Result<T>: a T or an Error. Deliberately tiny (std::expected is C++23).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  const Error& error() const { return std::get<1>(v_); }
  Error&& take_error() { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

}  // namespace hearth

// Propagate an error out of the enclosing function returning Result<...>/Status. The local's
// name is unique per expansion, so a HEARTH_TRY inside a lambda inside another does not shadow.
#define HEARTH_TRY_CONCAT_(a, b) a##b
#define HEARTH_TRY_NAME_(n) HEARTH_TRY_CONCAT_(hearth_try_result_, n)
#define HEARTH_TRY_IMPL_(expr, name)                       \
  do {                                                     \
    auto name = (expr);                                    \
    if (!name.ok()) return name.take_error();              \
  } while (0)
#define HEARTH_TRY(expr) HEARTH_TRY_IMPL_(expr, HEARTH_TRY_NAME_(__COUNTER__))
