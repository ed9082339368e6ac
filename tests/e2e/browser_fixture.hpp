#pragma once
// What the browser tests share: headless Chromium driven through chromedriver
// (tests/support/webdriver.hpp) when CMake found both, and numbered screenshots of each step in
// build/test-artifacts/browser/<test>/ (docs/testing.md).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "support/webdriver.hpp"

namespace sparks::testing {

class BrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(SPARKS_CHROMEDRIVER).empty() || std::string(SPARKS_CHROMIUM).empty())
      GTEST_SKIP() << "chromedriver or chromium not found when CMake ran; scripts/install-deps "
                      "installs them (chromium, chromium-driver)";
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    artifacts_ = std::filesystem::path(SPARKS_BINARY_DIR) / "test-artifacts" / "browser" /
                 (std::string(test->test_suite_name()) + "." + test->name());
    std::filesystem::remove_all(artifacts_);
    BrowserOptions options;
    options.chromedriver = SPARKS_CHROMEDRIVER;
    options.chromium = SPARKS_CHROMIUM;
    options.log_folder = artifacts_;
    browser_ = std::make_unique<WebDriver>(options);
  }

  void TearDown() override {
    if (browser_ && HasFailure()) {
      try {
        shot("failure");
      } catch (const std::exception&) {
        // The failure itself is what the output must show.
      }
    }
    browser_.reset();  // the session, chromedriver and Chromium end here, even after a failure
  }

  // The page as it is now, as NN-step.png in the test's artifacts folder; the path is printed.
  void shot(const std::string& step) {
    char number[16];
    std::snprintf(number, sizeof number, "%02d", ++shots_);
    const auto path = artifacts_ / (std::string(number) + "-" + step + ".png");
    browser_->screenshot(path);
    std::printf("screenshot: %s\n", path.c_str());
  }

  WebDriver& browser() { return *browser_; }

 private:
  std::filesystem::path artifacts_;
  std::unique_ptr<WebDriver> browser_;
  int shots_ = 0;
};

}  // namespace sparks::testing
