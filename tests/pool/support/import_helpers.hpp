#pragma once
// Shared by the importer tests: writing input files, reading a pool back whole, and checking
// that a refused import left nothing behind.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "files/pool/schema.hpp"

namespace quarry::testing {

inline void write_bytes(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good()) << "cannot write " << path;
}

// Everything in a pool file, read back for exact comparisons.
struct PoolContents {
  pool::PoolMeta meta;
  std::vector<std::uint8_t> pixels;  // images pools
  std::vector<float> features;       // features pools
  std::vector<std::uint64_t> ids;
  std::vector<std::int32_t> labels;  // empty when the pool has none
};

inline PoolContents read_pool(const std::filesystem::path& path) {
  const pool::PoolFile file = pool::PoolFile::open(path);
  file.check_contents();
  PoolContents contents{file.meta(), {}, {}, file.ids().read_all<std::uint64_t>(), {}};
  if (file.meta().shape.kind == pool::Kind::images)
    contents.pixels = file.items().read_all<std::uint8_t>();
  else
    contents.features = file.items().read_all<float>();
  if (file.labels()) contents.labels = file.labels()->read_all<std::int32_t>();
  return contents;
}

// Ids first, first+1, ..., as every importer numbers its rows.
inline std::vector<std::uint64_t> consecutive_ids(std::uint64_t first, std::uint64_t count) {
  std::vector<std::uint64_t> ids(count);
  for (std::uint64_t i = 0; i < count; ++i) ids[i] = first + i;
  return ids;
}

// Runs `import` and expects an InputError whose message contains every one of `needles`, with
// neither `out` nor its hidden temporary (".<name>.tmp-<pid>", see AtomicOutput) left behind.
template <class Import>
void expect_refused(Import&& import, const std::filesystem::path& out,
                    const std::vector<std::string>& needles) {
  try {
    import();
    ADD_FAILURE() << "import succeeded; expected an InputError mentioning " << needles.front();
  } catch (const InputError& error) {
    for (const std::string& needle : needles)
      EXPECT_NE(std::string(error.what()).find(needle), std::string::npos)
          << "message: " << error.what() << "\nexpected to contain: " << needle;
  }
  EXPECT_FALSE(std::filesystem::exists(out)) << out << " was published";
  const std::string temp_prefix = "." + out.filename().string();
  for (const auto& entry : std::filesystem::directory_iterator(out.parent_path()))
    EXPECT_FALSE(entry.path().filename().string().starts_with(temp_prefix))
        << "temporary left behind: " << entry.path();
}

}  // namespace quarry::testing
