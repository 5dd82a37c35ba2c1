#pragma once
// Force-included (-include) into every target of the fuzz build, and nowhere else.
//
// Why: Debian 12 ships clang 14 with libstdc++ 12. libstdc++'s <source_location> defines
// std::source_location only when the compiler has __builtin_source_location, which clang gained in
// version 15, so core/base/result.h does not compile with clang 14 and there would be no fuzz
// build at all. Where the library left the type out, this supplies one built on the older
// __builtin_FILE/LINE/COLUMN/FUNCTION, which clang 14 has. Nothing reads Error::where's fields
// differently either way. Remove this file once clang >= 15 is the fuzz compiler.
#if defined(__clang__) && defined(__cplusplus) && __cplusplus > 201703L && \
    !__has_builtin(__builtin_source_location)
#include <cstdint>
#include <version>  // the library's feature macros: is std::source_location there?

#ifndef __cpp_lib_source_location
// NOLINTBEGIN: a stand-in for a standard type keeps the standard's names.
namespace std {
struct source_location {
  static consteval source_location current(const char* file = __builtin_FILE(),
                                           const char* function = __builtin_FUNCTION(),
                                           uint_least32_t line = __builtin_LINE(),
                                           uint_least32_t column = __builtin_COLUMN()) noexcept {
    source_location s;
    s.file_ = file;
    s.function_ = function;
    s.line_ = line;
    s.column_ = column;
    return s;
  }
  constexpr source_location() noexcept = default;
  constexpr uint_least32_t line() const noexcept { return line_; }
  constexpr uint_least32_t column() const noexcept { return column_; }
  constexpr const char* file_name() const noexcept { return file_; }
  constexpr const char* function_name() const noexcept { return function_; }

 private:
  const char* file_ = "";
  const char* function_ = "";
  uint_least32_t line_ = 0;
  uint_least32_t column_ = 0;
};
}  // namespace std
// NOLINTEND
#endif
#endif
