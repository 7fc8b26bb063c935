#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <string>

#include "h5/input_guard.hpp"

namespace quarry::h5 {
namespace {

std::string refusal(const std::function<void()>& read, std::chrono::seconds limit) {
  try {
    probe_in_child("damaged.h5", read, limit);
  } catch (const InputError& error) {
    return error.what();
  }
  return {};
}

TEST(InputGuard, AReadThatCrashesIsBadInputNamingTheFile) {
  const auto message = refusal([] { std::raise(SIGSEGV); }, std::chrono::seconds(60));
  EXPECT_NE(message.find("damaged.h5: HDF5 crashed reading it"), std::string::npos) << message;
}

TEST(InputGuard, AReadThatEndsTheProcessIsBadInput) {
  // What a sanitizer does with a crash: report it and exit non-zero.
  const auto message = refusal([] { std::_Exit(1); }, std::chrono::seconds(60));
  EXPECT_NE(message.find("damaged.h5: HDF5 crashed reading it (the reading process exited 1)"),
            std::string::npos)
      << message;
}

TEST(InputGuard, AReadThatNeverEndsIsBadInput) {
  const auto message = refusal(
      [] {
        for (volatile bool forever = true; forever;) {
        }
      },
      std::chrono::seconds(1));
  EXPECT_NE(message.find("damaged.h5: HDF5 did not finish reading it in 1 s"), std::string::npos)
      << message;
}

TEST(InputGuard, ErrorsAndSuccessAreLeftToTheCallersOwnRead) {
  EXPECT_EQ(refusal([] { throw H5Error("unreadable"); }, std::chrono::seconds(60)), "");
  EXPECT_EQ(refusal([] {}, std::chrono::seconds(60)), "");
}

TEST(InputGuard, HdfFiveErrorsInAnInputAreBadInput) {
  try {
    read_as_input("in.h5", []() -> int { throw H5Error("reading /ids: bad message"); });
    FAIL() << "no error";
  } catch (const InputError& error) {
    EXPECT_STREQ(error.what(), "in.h5: cannot be read: reading /ids: bad message");
  }
}

}  // namespace
}  // namespace quarry::h5
