#pragma once
// What every fuzz target checks, built both for libFuzzer (tools/fuzz) and as a plain replay of
// the committed corpus (ctest -L fuzz): a reader given any bytes either returns or throws a
// quarry::Error that is bad input (exit code 2) and names the file. Anything else escapes the
// target: another exception type, or a ContractViolation for a quarry::Error that breaks it;
// libFuzzer reports the escape as a crash and keeps the input, the replay runner names the file.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "core/error.hpp"

namespace quarry::fuzz {

class ContractViolation : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

template <class Read>
void expect_success_or_input_error(const std::string& file, Read&& read) {
  try {
    read();
  } catch (const Error& e) {
    if (e.exit_code() != kExitBadInput)
      throw ContractViolation("exit code " + std::to_string(e.exit_code()) +
                              " (not 2) for bad input: " + e.what());
    if (std::string_view(e.what()).find(file) == std::string_view::npos)
      throw ContractViolation("the message does not name " + file + ": " + e.what());
  }
}

// A private folder for the inputs the HDF5 readers need as files, removed at exit.
class InputFolder {
 public:
  InputFolder()
      : path_(std::filesystem::temp_directory_path() /
              ("quarry-fuzz-" + std::to_string(::getpid()))) {
    std::filesystem::create_directories(path_);
  }
  ~InputFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The input's bytes as the file `name`, rewritten for every input.
inline std::filesystem::path input_file(const std::uint8_t* data, std::size_t size,
                                        const char* name) {
  static const InputFolder folder;
  const auto path = folder.path() / name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) throw std::runtime_error("fuzz harness: cannot write " + path.string());
  return path;
}

}  // namespace quarry::fuzz
