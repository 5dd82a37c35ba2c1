// The data directory's secret files: made once, read back unchanged, never silently replaced.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "server/auth/key_file.h"

namespace hearth::auth {
namespace {

struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("hearth-key-file-" + std::to_string(::getpid()) + "-" +
                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

TEST(KeyFile, MadeOnceThenReadBackWithOwnerOnlyMode) {
  TempDir dir;
  SystemRandom random;
  auto path = (dir.path / "transfer.key").string();
  auto first = load_or_create_key(path, 32, random);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->size(), 32u);
  auto again = load_or_create_key(path, 32, random);
  ASSERT_TRUE(again);
  EXPECT_EQ(*first, *again);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(KeyFile, AFileOfTheWrongLengthIsAnErrorAndIsKept) {
  TempDir dir;
  SystemRandom random;
  auto path = (dir.path / "csrf.key").string();
  std::ofstream(path) << "short";
  auto key = load_or_create_key(path, 32, random);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, ErrorCode::kCorruption);
  std::ifstream in(path);
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "short");
  // One byte too many is as wrong as too few.
  std::ofstream(path, std::ios::trunc) << std::string(33, 'x');
  EXPECT_FALSE(load_or_create_key(path, 32, random));
}

}  // namespace
}  // namespace hearth::auth
