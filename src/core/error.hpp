#pragma once
// One exception hierarchy for all of quarry. Every error carries what went wrong and, where we
// know it, what the user can do about it; the exit code follows from the type (see README).
#include <functional>
#include <stdexcept>
#include <string>

namespace quarry {

// Process exit codes: a contract with users and the Slurm templates (99 requeues a job).
enum ExitCode : int { kExitOk = 0, kExitFailed = 1, kExitBadInput = 2, kExitInterrupted = 99 };

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, std::string hint = {})
      : std::runtime_error(what), hint_(std::move(hint)) {}
  // What the user can do about it; empty when there is nothing better than "read the message".
  const std::string& hint() const { return hint_; }
  virtual int exit_code() const { return kExitFailed; }

  // Set when every rank of a collective raised this same error after agreeing on it: the job
  // can then end normally, with one message from rank 0, instead of being aborted.
  bool on_every_rank() const { return on_every_rank_; }
  void set_on_every_rank() { on_every_rank_ = true; }

 private:
  std::string hint_;
  bool on_every_rank_ = false;
};

// Wrong command line: unknown option, missing value, conflicting flags.
class UsageError : public Error {
 public:
  using Error::Error;
  int exit_code() const override { return kExitBadInput; }
};

// Bad input data. The message always names the file, the item inside it and the problem.
class InputError : public Error {
 public:
  InputError(const std::string& file, const std::string& item, const std::string& problem,
             std::string hint = {});
  int exit_code() const override { return kExitBadInput; }
};

// Work stopped cleanly after a checkpoint because of SIGUSR1/SIGTERM.
class Interrupted : public Error {
 public:
  using Error::Error;
  int exit_code() const override { return kExitInterrupted; }
};

// An error raised on one rank and relayed to the others (see comm::on_root_for_all), keeping the
// original message, hint and exit code.
class RelayedError : public Error {
 public:
  RelayedError(const std::string& what, std::string hint, int exit_code)
      : Error(what, std::move(hint)), exit_code_(exit_code) {}
  int exit_code() const override { return exit_code_; }

 private:
  int exit_code_;
};

struct Outcome {
  int exit_code = kExitOk;
  bool on_every_rank = false;  // the failure was agreed by all ranks (see Error::on_every_rank)
};

// Runs `body` and turns any exception into its exit code, after logging the message (with the
// rank prefix) and the hint; an error raised on every rank is logged by rank 0 only. Unknown
// exceptions are internal errors (exit 1).
Outcome run_guarded(const std::function<int()>& body);

// "<what>", plus a second line "  hint: <hint>" when there is one.
std::string describe(const Error& error);

}  // namespace quarry
