#include "support/test_dirs.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "io/aligned_buffer.hpp"
#include "util/unique_fd.hpp"

namespace diobench::test {

namespace {

bool supports_o_direct(const std::string& dir)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const std::string probe = dir + "/.dio-probe-" + std::to_string(::getpid());
    {
        std::ofstream out(probe, std::ios::binary);
        out << std::string(4096, 'x');
        if (!out) {
            return false;
        }
    }
    bool ok = false;
    {
        const UniqueFd fd(::open(probe.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC));
        if (fd) {
            const AlignedBuffer buf(4096, 4096);
            ok = ::pread(fd.get(), buf.data(), 4096, 0) == 4096;
        }
    }
    ::unlink(probe.c_str());
    return ok;
}

}  // namespace

const std::string& dio_capable_root()
{
    static const std::string root = [] {
        std::vector<std::string> candidates;
        // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any test thread
        if (const char* env = std::getenv("DIOBENCH_TEST_DIR"); env != nullptr && *env != '\0') {
            candidates.emplace_back(env);
        }
        candidates.emplace_back(std::string(DIOBENCH_BUILD_DIR) + "/test-tmp");
        candidates.emplace_back("/var/tmp");
        candidates.emplace_back("/tmp");
        for (const std::string& c : candidates) {
            if (supports_o_direct(c)) {
                return c;
            }
        }
        throw std::runtime_error("no directory that supports O_DIRECT; set DIOBENCH_TEST_DIR");
    }();
    return root;
}

TempDir::TempDir()
{
    std::string pattern = dio_capable_root() + "/diobench-test-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed under " + dio_capable_root());
    }
    path_ = pattern;
}

TempDir::~TempDir()
{
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

std::string unwritable_file()
{
    for (const char* candidate : {"/sys/kernel/uevent_seqnum", "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size",
                                  "/sys/kernel/address_bits", "/proc/version"}) {
        if (::access(candidate, F_OK) != 0) {
            continue;
        }
        const UniqueFd fd(::open(candidate, O_WRONLY | O_CLOEXEC));
        if (!fd) {
            return candidate;
        }
    }
    return "";
}

std::string read_text(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_text(const std::string& path, const std::string& text)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

unsigned unused_block_major()
{
    std::ifstream devices("/proc/devices");
    std::set<unsigned> used;
    bool block_section = false;
    for (std::string line; std::getline(devices, line);) {
        if (line.starts_with("Block devices:")) {
            block_section = true;
            continue;
        }
        unsigned major = 0;
        std::istringstream fields(line);
        if (block_section && (fields >> major)) {
            used.insert(major);
        }
    }
    for (unsigned major = 240; major <= 254; ++major) {
        if (!used.contains(major)) {
            return major;
        }
    }
    return 0;
}

}  // namespace diobench::test
