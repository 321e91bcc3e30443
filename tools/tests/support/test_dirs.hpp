// Temporary directories for tests, on a file system that accepts O_DIRECT.
#pragma once

#include <string>

namespace diobench::test {

// First of $DIOBENCH_TEST_DIR, <build>/test-tmp, /var/tmp, /tmp where a
// file can be opened with O_DIRECT and read (tmpfs refuses on old kernels).
const std::string& dio_capable_root();

// A fresh directory under dio_capable_root(), removed with its contents.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    TempDir(TempDir&&) = delete;
    TempDir& operator=(TempDir&&) = delete;

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

// An existing file that open(O_WRONLY) refuses even for root (a read-only
// sysfs attribute), like a knob we may not touch; "" if none is found.
std::string unwritable_file();

// A block major in the local/experimental range 240..254 that no driver
// registered (per /proc/devices), or 0. A node with it stands in for a
// block device: opening it fails with ENXIO, so a regressed "refuse block
// devices" check cannot write to a real disk.
unsigned unused_block_major();

// Whole-file helpers.
std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

}  // namespace diobench::test
