// Replays a corpus folder through a fuzz target built without libFuzzer (gcc, ctest
// -L fuzz): every file in name order. An exception escaping the target is reported with the
// file and its type, and the replay goes on, so one run lists every failing input; a crash ends
// the run right after the line naming its file.
#include <cxxabi.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::string current_exception_type() {
  const std::type_info* type = abi::__cxa_current_exception_type();
  if (type == nullptr) return "?";
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> name(
      abi::__cxa_demangle(type->name(), nullptr, nullptr, &status), &std::free);
  return status == 0 ? name.get() : type->name();
}

bool replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>()};
  std::cout << "replay " << file.filename().string() << std::endl;
  try {
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    return true;
  } catch (const std::exception& e) {
    std::cout << "FAILED " << file.string() << ": " << current_exception_type() << ": " << e.what()
              << std::endl;
  } catch (...) {
    std::cout << "FAILED " << file.string() << ": " << current_exception_type() << std::endl;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " CORPUS_FOLDER\n";
    return 2;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1]))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  // An empty corpus would pass without testing anything.
  if (files.empty()) {
    std::cerr << argv[1] << ": no corpus files\n";
    return 1;
  }
  const auto failed =
      std::count_if(files.begin(), files.end(), [](const auto& f) { return !replay(f); });
  std::cout << files.size() << " input(s) replayed, " << failed << " failed" << std::endl;
  return failed == 0 ? 0 : 1;
}
