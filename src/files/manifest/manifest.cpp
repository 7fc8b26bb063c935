#include "files/manifest/manifest.hpp"

#include <fmt/format.h>

#include <pthread.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <exception>
#include <fstream>
#include <functional>
#include <thread>

#include "core/atomic_output.hpp"
#include "core/error.hpp"
#include "core/sha256.hpp"
#include "core/symlinks.hpp"
#include "core/text.hpp"
#include "core/version.hpp"

namespace quarry {

namespace fs = std::filesystem;

fs::path manifest_path_for(const fs::path& output) {
  return fs::path(resolve_symlinks(output).string() + ".manifest.json");
}

Manifest::Manifest(std::string stage) : started_(std::chrono::steady_clock::now()) {
  doc_["stage"] = std::move(stage);
  doc_["quarry_version"] = std::string(version());
  doc_["complete"] = false;
  doc_["inputs"] = nlohmann::json::object();
  doc_["outputs"] = nlohmann::json::object();
  doc_["settings"] = nlohmann::json::object();
  doc_["timings_s"] = nlohmann::json::object();
}

Manifest::~Manifest() = default;
Manifest::Manifest(Manifest&&) noexcept = default;
Manifest& Manifest::operator=(Manifest&&) noexcept = default;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Paths are bytes on Linux; JSON holds UTF-8, so any other byte is escaped (\xNN).
std::string display_path(const fs::path& path) {
  return escape_for_display(fs::absolute(path).lexically_normal().string());
}

nlohmann::json describe_file(const fs::path& path, const fs::path& content) {
  return {{"path", display_path(path)},
          {"sha256", sha256_file(content)},
          {"bytes", fs::file_size(content)}};
}

// A thread that takes no signals: SIGUSR1 and SIGTERM stay with the ranks' main threads.
std::thread thread_without_signals(std::function<void()> body) {
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, &old);
  try {
    std::thread thread(std::move(body));
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    return thread;
  } catch (...) {
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    throw;
  }
}

std::string time_text(std::int64_t ns) {
  const std::time_t seconds = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &utc);
  return fmt::format("{}.{:09d} UTC", text, ns % 1'000'000'000);
}

}  // namespace

// One input: the file as add_input opened and stat'ed it, and its sha256 from that descriptor.
struct Manifest::Input {
  std::string role;
  fs::path path;
  std::unique_ptr<HashedFile> file;  // null when it could not be opened
  std::string open_error;
  std::string sha256;
  std::exception_ptr failure;  // a failed read
  double seconds = 0;
  std::atomic<bool> cancel{false};
  std::thread thread;

  ~Input() {
    cancel = true;
    join();
  }
  void join() {
    if (thread.joinable()) thread.join();
  }
  void hash() {
    const auto started = Clock::now();
    try {
      sha256 = file->sha256(&cancel);
    } catch (...) {
      failure = std::current_exception();
    }
    seconds = seconds_since(started);
  }
  // Joined: the digest, or the error that kept it from being read.
  const std::string& digest() {
    join();
    if (!file) throw InputError("", "", open_error);
    if (failure) std::rethrow_exception(failure);
    return sha256;
  }
};

void Manifest::add_input(const std::string& role, const fs::path& path, Hashing hashing) {
  auto in = std::make_unique<Input>();
  in->role = role;
  in->path = path;
  try {
    in->file = std::make_unique<HashedFile>(path);
  } catch (const Error& error) {
    in->open_error = error.what();  // the stage's reader names the problem better
  }
  if (in->file && hashing == Hashing::now) in->hash();
  if (in->file && hashing == Hashing::beside_the_work)
    in->thread = thread_without_signals([raw = in.get()] { raw->hash(); });
  inputs_.push_back(std::move(in));
}

Manifest::Input& Manifest::input(const std::string& role) {
  for (auto& in : inputs_)
    if (in->role == role) return *in;
  throw Error(
      fmt::format("the {} manifest has no input '{}'", doc_["stage"].get<std::string>(), role));
}

std::string Manifest::input_sha256(const std::string& role) {
  return input(role).digest();
}

void Manifest::finish_hashing() {
  const auto started = Clock::now();
  for (auto& in : inputs_) in->join();
  verify_seconds_ += seconds_since(started);
}

namespace {

// How the file at `path` differs from the one stamped at the start; empty when it is the same.
//
// The stamp decides, not a second sha256: a second read of a large pool is the serial cost that
// hashing beside the work removes, while size, mtime, ctime and inode change with every write or
// replacement. Any difference fails the run, even when the content may be back as it was (a byte
// changed and restored): the stage may have read the file in between. Only a file changed in the
// last seconds before the start is read again, since a write within the same clock tick can leave
// its stamp as it was.
std::string change_since_start(const fs::path& path, const HashedFile& file,
                               const std::string& sha256) {
  const auto now = stamp_of(path);
  const FileStamp& then = file.stamp();
  if (!now) return "it was removed";
  if (now->device != then.device || now->inode != then.inode)
    return fmt::format("another file replaced it (inode {} -> {})", then.inode, now->inode);
  if (now->bytes != then.bytes)
    return fmt::format("its size went from {} to {} bytes", then.bytes, now->bytes);
  if (now->mtime_ns != then.mtime_ns)
    return fmt::format("it was modified (mtime {} -> {})", time_text(then.mtime_ns),
                       time_text(now->mtime_ns));
  if (now->ctime_ns != then.ctime_ns)
    return fmt::format("it was written to or its attributes changed (ctime {} -> {})",
                       time_text(then.ctime_ns), time_text(now->ctime_ns));
  if (!file.changed_recently()) return {};
  const std::string again = sha256_file(path);
  return again == sha256 ? std::string()
                         : fmt::format("its sha256 went from {} to {}", sha256, again);
}

}  // namespace

void Manifest::verify_inputs() {
  finish_hashing();
  const auto started = Clock::now();
  const std::string stage = doc_["stage"].get<std::string>();
  for (auto& in : inputs_) {
    const std::string change =
        in->file ? change_since_start(in->path, *in->file, in->digest())
                 : fmt::format("it could not be read when the run started ({})", in->open_error);
    if (!change.empty())
      throw InputError("", "",
                       fmt::format("{} changed while quarry {} was reading it: {}; rerun",
                                   in->path.string(), stage, change),
                       "nothing was published: run the command again once no other program "
                       "writes to the file");
  }
  verify_seconds_ += seconds_since(started);
}

void Manifest::add_output(const std::string& role, const fs::path& path) {
  doc_["outputs"][role] = describe_file(path, path);
}

void Manifest::add_output(const std::string& role, const fs::path& path, const fs::path& content) {
  doc_["outputs"][role] = describe_file(path, content);
}

void Manifest::add_output_link(const std::string& role, const fs::path& path,
                               const std::string& same_as) {
  nlohmann::json entry = doc_["outputs"].at(same_as);
  entry["path"] = display_path(path);
  doc_["outputs"][role] = std::move(entry);
}

void Manifest::set_setting(const std::string& key, nlohmann::json value) {
  doc_["settings"][key] = std::move(value);
}

void Manifest::set_ranks(int ranks) {
  doc_["ranks"] = ranks;
}

void Manifest::set_placement(nlohmann::json placement) {
  if (!placement.is_null()) doc_["placement"] = std::move(placement);
}

void Manifest::set_timing(const std::string& phase, double seconds) {
  doc_["timings_s"][phase] = seconds;
}

void Manifest::publish_for(const fs::path& output) {
  prepare_for(output)->commit();
}

std::unique_ptr<AtomicOutput> Manifest::prepare_for(const fs::path& output) {
  finish_hashing();
  double hashing = 0;
  for (auto& in : inputs_) {
    doc_["inputs"][in->role] = {{"path", display_path(in->path)},
                                {"sha256", in->digest()},
                                {"bytes", in->file->stamp().bytes}};
    hashing += in->seconds;
  }
  if (!inputs_.empty()) {
    doc_["timings_s"]["hashing_inputs"] = hashing;
    doc_["timings_s"]["verifying_inputs"] = verify_seconds_;
  }
  doc_["complete"] = true;
  doc_["timings_s"]["total"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  auto out = std::make_unique<AtomicOutput>(manifest_path_for(output), Overwrite::replace);
  {
    std::ofstream stream(out->temp_path());
    // Strings from users' files are checked or escaped where they enter the manifest; replacing
    // a stray invalid byte here keeps a manifest write from ever failing on an encoding.
    stream << doc_.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    if (!stream) throw Error(fmt::format("cannot write {}", out->temp_path().string()));
  }
  out->flush();
  return out;
}

void retract_manifest(const fs::path& output) {
  std::error_code ignored;
  fs::remove(manifest_path_for(output), ignored);
}

nlohmann::json read_complete_manifest(const fs::path& output) {
  std::ifstream stream(manifest_path_for(output));
  if (!stream) return {};
  auto doc = nlohmann::json::parse(stream, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.value("complete", false)) return {};
  return doc;
}

}  // namespace quarry
