#pragma once
// One round runner per workspace at a time: an exclusive lock (a FileLock) on
// WORKSPACE/.quarry.lock held for the whole run (the kernel drops it when the process dies, so a
// crash never leaves a stale lock). The holder writes who it is into the file, so a refused run
// can say who holds it.
#include <filesystem>
#include <optional>
#include <string>

#include "core/file_lock.hpp"

namespace quarry::pipeline {

class WorkspaceLock {
 public:
  // Error (exit 1) at once, naming the holder, when another process holds the lock.
  WorkspaceLock(const std::filesystem::path& lock_file, const std::string& purpose);
  ~WorkspaceLock();
  WorkspaceLock(const WorkspaceLock&) = delete;
  WorkspaceLock& operator=(const WorkspaceLock&) = delete;

 private:
  FileLock lock_;
};

// Who holds the lock ("quarry cycle (pid P on HOST, since T)"), or nullopt when nobody does.
// Only tests the lock, so it never makes a starting run fail.
std::optional<std::string> workspace_lock_holder(const std::filesystem::path& lock_file);

}  // namespace quarry::pipeline
